/* Accessible names in the whole admin (loaded on every admin page by templates/admin/base_site.html).

   What Django's admin, its select2 and the rich-text editor (django-prose-editor) leave unnamed gets
   a name from what a sighted editor sees next to it:
   - fields without a <label> (tabular inlines, list editing, the two halves of a date and time):
     the row's label or the column's heading, plus "Datum"/"Uhrzeit";
   - select2 boxes: the label of the <select> they stand for (also when nothing is chosen), and the
     "clear" cross of a multiple choice is moved out of the <ul> of chosen items;
   - the rich-text editor: its text area is named by the field's label, its toolbar speaks German,
     and the icon glyphs ("format_bold") are hidden from assistive technology.
   Everything runs again for whatever is added later (new inline rows, select2, editors). */
;(() => {
  const TOOLBAR = {
    paragraph: "Absatz",
    "heading 1": "Überschrift 1",
    "heading 2": "Überschrift 2",
    "heading 3": "Überschrift 3",
    "heading 4": "Überschrift 4",
    "unordered list": "Aufzählung",
    "ordered list": "Nummerierte Liste",
    blockquote: "Zitat im Text",
    "horizontal rule": "Trennlinie",
    bold: "Fett",
    italic: "Kursiv",
    underline: "Unterstrichen",
    strike: "Durchgestrichen",
    subscript: "Tiefgestellt",
    superscript: "Hochgestellt",
    "insert link": "Link einfügen",
    "remove link": "Link entfernen",
    undo: "Rückgängig",
    redo: "Wiederholen",
    "edit HTML": "HTML bearbeiten",
    "Toggle fullscreen": "Vollbild",
    figure: "Abbildung",
    question_mark: "Unbekanntes Format",
  }
  const OPTIONS = {
    "Heading 1": "Überschrift 1",
    "Heading 2": "Überschrift 2",
    "Heading 3": "Überschrift 3",
    "Heading 4": "Überschrift 4",
    Paragraph: "Absatz",
  }
  let labelCount = 0

  const clean = (text) => (text || "").replace(/\s+/g, " ").replace(/[:*]\s*$/, "").trim()

  const idOf = (element, stem) => {
    if (!element.id) element.id = `${stem}-${++labelCount}`
    return element.id
  }

  const named = (field) =>
    field.labels?.length || field.hasAttribute("aria-label") || field.hasAttribute("aria-labelledby")

  /* The name a sighted editor reads next to a field: its row's label, or its column's heading. */
  function contextName(field) {
    const cell = field.closest("td, th")
    const table = field.closest("table")
    if (cell && table) {
      const heads = table.querySelectorAll("thead th")
      const head = heads[cell.cellIndex]
      if (head) {
        const row = field.closest("tr")
        const rowName = row && row.querySelector("th:not([scope=col]), td.field-title, td.original p")
        return [clean(head.textContent), rowName ? clean(rowName.textContent) : ""].filter(Boolean).join(" – ")
      }
    }
    const formRow = field.closest(".form-row, .fieldBox")
    const label = formRow && formRow.querySelector("label")
    return label ? clean(label.textContent) : ""
  }

  function labelFields(root) {
    for (const field of root.querySelectorAll("input, select, textarea")) {
      if (field.type === "hidden" || field.name?.includes("__prefix__") || named(field)) continue
      if (field.classList.contains("select2-search__field")) continue // named with its select2 box
      let name = contextName(field)
      if (field.classList.contains("vDateField")) name = `${name} (Datum)`.trim()
      else if (field.classList.contains("vTimeField")) name = `${name} (Uhrzeit)`.trim()
      if (field.type === "checkbox" && /-DELETE$/.test(field.name) && !name) name = "Löschen"
      if (name) field.setAttribute("aria-label", name)
    }
  }

  /* select2: name the box after the <select>'s label; keep its <ul> a list of <li> only. */
  function fixSelect2(container) {
    const select = container.previousElementSibling?.tagName === "SELECT" ? container.previousElementSibling : null
    const label = select && (select.labels?.[0] || null)
    const name = label ? clean(label.textContent) : select ? contextName(select) : ""
    const single = container.querySelector(".select2-selection--single")
    if (single && label) {
      const rendered = single.querySelector(".select2-selection__rendered")
      const labelId = idOf(label, "a11y-label")
      single.setAttribute("aria-labelledby", rendered?.id ? `${labelId} ${rendered.id}` : labelId)
      // select2 gives the shown choice the role "textbox": it is named by the label as well.
      if (rendered) rendered.setAttribute("aria-labelledby", labelId)
    } else if (single && name) {
      single.setAttribute("aria-label", name)
    }
    const multiple = container.querySelector(".select2-selection--multiple")
    if (multiple) {
      if (name) multiple.setAttribute("aria-label", name)
      const search = multiple.querySelector(".select2-search__field")
      if (search && name) search.setAttribute("aria-label", name)
      const list = multiple.querySelector("ul.select2-selection__rendered")
      const clear = list && list.querySelector(":scope > .select2-selection__clear")
      if (clear) {
        clear.setAttribute("role", "button")
        clear.setAttribute("aria-label", "Auswahl leeren")
        list.before(clear)
      }
    }
  }

  /* Toolbar buttons of the rich-text editor: German names, glyphs hidden from assistive technology. */
  function fixEditorButton(button) {
    const english = button.getAttribute("aria-label") || button.title || ""
    const german = TOOLBAR[english]
    if (german) {
      button.setAttribute("aria-label", german)
      button.title = german
    }
    if (button.classList.contains("material-icons")) {
      for (const node of [...button.childNodes]) {
        if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
          const glyph = document.createElement("span")
          glyph.setAttribute("aria-hidden", "true")
          glyph.textContent = node.textContent
          node.replaceWith(glyph)
        }
      }
    }
  }

  const TOGGLES = new Set(["bold", "italic", "underline", "strike", "subscript", "superscript", "bulletList", "orderedList", "blockquote"])

  /* The editor shows "disabled" and "active" as classes only: say them to assistive technology too. */
  function syncState(button) {
    const disabled = button.classList.contains("disabled")
    if (button.getAttribute("aria-disabled") !== String(disabled)) button.setAttribute("aria-disabled", String(disabled))
    if (TOGGLES.has(button.dataset.name)) {
      const pressed = String(button.classList.contains("active"))
      if (button.getAttribute("aria-pressed") !== pressed) button.setAttribute("aria-pressed", pressed)
    }
  }

  function fixEditor(editorRoot) {
    const area = editorRoot.querySelector("[contenteditable][role=textbox]")
    const textarea = editorRoot.querySelector("textarea")
    const label = textarea && textarea.labels?.[0]
    if (area && !area.hasAttribute("aria-labelledby")) {
      if (label) area.setAttribute("aria-labelledby", idOf(label, "a11y-label"))
      else if (textarea) area.setAttribute("aria-label", contextName(textarea) || "Text")
      area.setAttribute("aria-multiline", "true")
    }
    const menubar = editorRoot.querySelector(".prose-menubar")
    if (menubar && !menubar.hasAttribute("role")) {
      menubar.setAttribute("role", "toolbar")
      menubar.setAttribute("aria-label", label ? `Format: ${clean(label.textContent)}` : "Format")
      new MutationObserver((records) => {
        for (const record of records) if (record.target.matches("button")) syncState(record.target)
      }).observe(menubar, { attributes: true, attributeFilter: ["class"], subtree: true })
    }
    for (const button of editorRoot.querySelectorAll(".prose-menubar button")) {
      fixEditorButton(button)
      syncState(button)
    }
    for (const option of editorRoot.querySelectorAll(".prose-menubar__option > *")) {
      if (OPTIONS[option.textContent]) option.textContent = OPTIONS[option.textContent]
    }
    for (const selected of editorRoot.querySelectorAll(".prose-menubar__selected button")) {
      const current = selected.getAttribute("aria-label") || ""
      if (!current.startsWith("Absatzformat")) selected.setAttribute("aria-label", `Absatzformat: ${current}`)
      selected.setAttribute("aria-haspopup", "true")
    }
  }

  function fixAll(root) {
    labelFields(root)
    for (const container of root.querySelectorAll(".select2-container:not(.select2-container--open)"))
      fixSelect2(container)
    for (const editorRoot of root.querySelectorAll(".prose-editor")) fixEditor(editorRoot)
  }

  let pending = false
  const schedule = () => {
    if (pending) return
    pending = true
    requestAnimationFrame(() => {
      pending = false
      fixAll(document)
    })
  }

  document.addEventListener("DOMContentLoaded", () => {
    fixAll(document)
    new MutationObserver((records) => {
      // Typing in an editor adds nodes too: nothing to name there.
      if (records.some((record) => record.addedNodes.length && !record.target.closest?.("[contenteditable=true]")))
        schedule()
    }).observe(document.body, { childList: true, subtree: true })
  })
})()
