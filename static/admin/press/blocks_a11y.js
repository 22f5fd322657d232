/* The body blocks of a release (django-content-editor's "order machine") for keyboard and screen-reader
   users. Loaded as a classic script on the release form, so it listens before the editor's module starts.

   - Every block gets a heading that says what it is ("Zitat 2 von Sven Schulze", "Textblock 1",
     "Bild 3: Rathaus Chemnitz"), kept up to date as fields change and blocks move.
   - A tool row per block: "nach oben" / "nach unten" (the keyboard way to reorder), "Einklappen", and
     the delete control. Moving keeps the page's order (and so the Tab order) the same as the shown order;
     the editor itself only changes the CSS order.
   - The "+" insert targets and the block menu are buttons reachable with Tab, Enter and Escape.
   - Focus lands on something sensible: the new block's first field after adding, the next block (or
     "Block am Ende hinzufügen") after removing, the same button after moving. A live region says what
     happened. Icon glyphs are hidden from assistive technology.
   Upstream: see README, "Accessibility fixes to upstream packages". */
;(() => {
  const KINDS = {
    press_textblock_set: "Textblock",
    press_quoteblock_set: "Zitat",
    press_imageblock_set: "Bild",
    press_backgroundblock_set: "Hintergrund",
  }
  const FIELD =
    "input:not([type=hidden]):not(.order-machine-ordering)," +
    " textarea:not([data-django-prose-editor-configurable]):not([data-django-prose-editor-default])," +
    " select:not(.select2-hidden-accessible), .select2-selection, [contenteditable=true]"

  let machine, wrapper, status, lastTarget
  let editable = true

  const qsa = (selector, root = document) => [...root.querySelectorAll(selector)]
  const visible = (element) => element && element.getClientRects().length > 0
  const prefixOf = (inline) => inline.id.replace(/-(?:\d+|empty)$/, "")
  const ordering = (inline) => inline.querySelector(".order-machine-ordering")
  const text = (value) => (value || "").replace(/\s+/g, " ").trim()

  const crel = (tag, props = {}, children = []) => {
    const element = document.createElement(tag)
    for (const [key, value] of Object.entries(props)) {
      if (/^(aria-|data-|role$)/.test(key)) element.setAttribute(key, value)
      else element[key] = value
    }
    element.append(...children)
    return element
  }

  const announce = (message) => {
    status.textContent = ""
    setTimeout(() => {
      status.textContent = message
    }, 50)
  }

  /* The blocks as shown, top to bottom (the current region; a release has one). */
  const blocks = () => {
    const region = window.ContentEditor?.currentRegion
    return qsa(":scope > .inline-related:not(.empty-form)", machine)
      .filter((inline) => !region || inline.dataset.region === region)
      .sort((a, b) => +a.style.order - +b.style.order)
  }

  function describe(inline) {
    const prefix = prefixOf(inline)
    const plugin = window.ContentEditor?.pluginsByPrefix?.[prefix]
    const kind = KINDS[prefix] || plugin?.title || "Block"
    const choice = (name) => {
      const select = inline.querySelector(`select[name$="-${name}"]`)
      return select && select.value ? text(select.selectedOptions[0]?.textContent) : ""
    }
    const value = (name) => text(inline.querySelector(`[name$="-${name}"]:not(select)`)?.value)
    let detail = ""
    if (prefix === "press_quoteblock_set") detail = choice("speaker") ? ` von ${choice("speaker")}` : ""
    else if (prefix === "press_imageblock_set") {
      const caption = value("caption") || choice("image")
      detail = caption ? `: ${caption}` : ""
    } else if (prefix === "press_backgroundblock_set") detail = value("title") ? `: ${value("title")}` : ""
    return { kind, detail }
  }

  /* Headings, numbers, insert-target names and move buttons, from the current state. */
  function refresh() {
    const list = blocks()
    const counts = {}
    list.forEach((inline, index) => {
      const { kind, detail } = describe(inline)
      counts[kind] = (counts[kind] || 0) + 1
      const title = `${kind} ${counts[kind]}${detail}`
      inline.dataset.a11yTitle = title
      const heading = inline.querySelector(":scope > h3 .block-title")
      if (heading) {
        const marked = inline.classList.contains("for-deletion") ? " (wird beim Speichern gelöscht)" : ""
        const fresh = inline.classList.contains("last-related") || !inline.classList.contains("has_original")
        heading.textContent = `${title}${fresh ? " (neu)" : ""}${marked}`
      }
      const tools = inline.querySelector(":scope > .block-tools")
      if (tools) {
        tools.setAttribute("aria-label", `${title}: Werkzeuge`)
        setDisabled(tools.querySelector(".block-up"), index === 0)
        setDisabled(tools.querySelector(".block-down"), index === list.length - 1)
        for (const button of qsa("button[data-label]", tools))
          button.setAttribute("aria-label", `${button.dataset.label}: ${title}`)
        // Which block a delete control is for (its visible text alone says "Löschen" / "Entfernen").
        tools.querySelector(".inline-deletelink")?.setAttribute("aria-label", `Entfernen: ${title}`)
        tools.querySelector(".delete > input[type=checkbox]")?.setAttribute("aria-label", `Löschen: ${title}`)
        const toggle = tools.querySelector(".block-toggle")
        const collapsed = inline.classList.contains("collapsed")
        toggle.setAttribute("aria-expanded", String(!collapsed))
        toggle.textContent = collapsed ? "Aufklappen" : "Einklappen"
        toggle.setAttribute("aria-label", `${collapsed ? "Aufklappen" : "Einklappen"}: ${title}`)
      }
      const target = inline.querySelector(":scope > .order-machine-insert-target")
      if (target) target.setAttribute("aria-label", `Neuen Block vor „${title}“ einfügen`)
    })
  }

  const setDisabled = (button, disabled) => {
    // aria-disabled, not disabled: a disabled button would drop the focus.
    if (button) button.setAttribute("aria-disabled", String(disabled))
  }

  /* Page order = shown order, so that Tab follows what the eye sees (the focus stays where it was), and
     "Block am Ende hinzufügen" after the last block (the editor puts it first). */
  function syncDom() {
    const focused = document.activeElement
    const all = qsa(":scope > .inline-related:not(.empty-form)", machine).sort(
      (a, b) => +a.style.order - +b.style.order,
    )
    const current = qsa(":scope > .inline-related:not(.empty-form)", machine)
    const targetLast = all.every((inline) => inline.compareDocumentPosition(lastTarget) & Node.DOCUMENT_POSITION_FOLLOWING)
    if (targetLast && all.every((inline, index) => inline === current[index])) return
    for (const inline of all) machine.insertBefore(inline, lastTarget)
    if (focused && focused !== document.activeElement && focused.isConnected) focused.focus()
  }

  function move(inline, step) {
    const list = blocks()
    const index = list.indexOf(inline)
    const other = list[index + step]
    if (!other) return
    const mine = ordering(inline)
    const theirs = ordering(other)
    ;[mine.value, theirs.value] = [theirs.value, mine.value]
    inline.style.order = mine.value
    other.style.order = theirs.value
    syncDom()
    refresh()
    const now = blocks()
    announce(`${inline.dataset.a11yTitle} ist jetzt an Stelle ${now.indexOf(inline) + 1} von ${now.length}.`)
  }

  /* The first field of a block to type into; the editor's text area may still be on its way. */
  let focusRound = 0
  function focusFirstField(inline, tries = 60, round = ++focusRound) {
    if (round !== focusRound) return // a later block took over
    const field = qsa(FIELD, inline).find((element) => visible(element) && !element.closest(".block-tools"))
    if (field) {
      field.focus()
      // The editor's own handler focused the raw text area, which the rich-text editor then hides:
      // should the focus still drop to the page, bring it back.
      for (const delay of [200, 600]) {
        setTimeout(() => {
          if (round === focusRound && document.activeElement === document.body && field.isConnected)
            field.focus()
        }, delay)
      }
      return
    }
    if (tries > 0) requestAnimationFrame(() => focusFirstField(inline, tries - 1, round))
    else inline.querySelector(".block-toggle")?.focus()
  }

  function makeButton(className, label, onClick, textContent = label) {
    const button = crel("button", { type: "button", className: `button block-tool ${className}`, textContent })
    button.dataset.label = label
    button.addEventListener("click", (event) => {
      event.preventDefault()
      event.stopPropagation()
      if (button.getAttribute("aria-disabled") === "true") return
      onClick(event)
    })
    return button
  }

  function decorate(inline) {
    if (inline.classList.contains("empty-form") || inline.querySelector(":scope > .block-tools")) return
    const heading = inline.querySelector(":scope > h3")
    if (!heading) return
    for (const icon of qsa(".material-icons", heading)) icon.setAttribute("aria-hidden", "true")
    heading.querySelector(".block-title") ||
      heading.querySelector(".inline_label")?.after(crel("span", { className: "block-title" }))
    heading.classList.add("block-heading")
    heading.title = "Zum Verschieben ziehen, oder mit „nach oben“ / „nach unten“"

    const target = inline.querySelector(":scope > .order-machine-insert-target")
    if (target) {
      inline.prepend(target) // before the block in the page, as it is shown
      makeTarget(target)
    }
    if (!editable) return
    const tools = crel("div", { className: "block-tools", role: "group" })
    tools.append(
      makeButton("block-up", "nach oben", () => move(inline, -1), "↑ nach oben"),
      makeButton("block-down", "nach unten", () => move(inline, 1), "↓ nach unten"),
      makeButton("block-toggle", "Einklappen", () => {
        heading.click() // the editor collapses a block on a click on its heading
        refresh()
      }),
    )
    for (const control of qsa(":scope > .delete, :scope > span:has(> .inline-deletelink)", heading))
      tools.append(control)
    heading.after(tools)
  }

  function makeTarget(target) {
    target.tabIndex = 0
    target.setAttribute("role", "button")
    target.setAttribute("aria-expanded", "false")
    target.setAttribute("aria-haspopup", "true")
    if (target.classList.contains("last")) target.setAttribute("aria-label", "Neuen Block am Ende hinzufügen")
    target.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return
      event.preventDefault()
      target.click()
      if (target.classList.contains("selected")) {
        const first = qsa(".plugin-buttons .plugin-button:not(.content-editor-hide)")[0]
        first?.focus()
      }
    })
  }

  let opener = null

  function setUpMenu() {
    const menu = wrapper.querySelector(".plugin-buttons")
    menu.setAttribute("role", "group")
    menu.setAttribute("aria-label", "Block-Art wählen")
    for (const button of qsa(".plugin-button", menu)) {
      button.tabIndex = 0
      for (const icon of qsa(".plugin-button-icon", button)) icon.setAttribute("aria-hidden", "true")
      button.removeAttribute("title") // the visible text names it
      button.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault()
          button.click()
        } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault()
          const shown = qsa(".plugin-button:not(.content-editor-hide)", menu)
          const next = shown[(shown.indexOf(button) + (event.key === "ArrowDown" ? 1 : -1) + shown.length) % shown.length]
          next.focus()
        } else if (event.key === "Escape") {
          event.preventDefault()
          const back = opener
          wrapper.classList.remove("plugin-buttons-visible")
          for (const el of qsa(".order-machine-insert-target.selected")) el.classList.remove("selected")
          updateExpanded()
          back?.focus()
        }
      })
    }
    // Which "+" opened the menu, to come back to it; the menu is closed by the editor's own handlers.
    document.addEventListener("click", () => setTimeout(updateExpanded, 0))
    menu.addEventListener("focusout", (event) => {
      if (!menu.contains(event.relatedTarget) && !event.relatedTarget?.classList.contains("order-machine-insert-target")) {
        if (wrapper.classList.contains("plugin-buttons-visible") && event.relatedTarget) {
          wrapper.classList.remove("plugin-buttons-visible")
          for (const el of qsa(".order-machine-insert-target.selected")) el.classList.remove("selected")
          updateExpanded()
        }
      }
    })
  }

  function updateExpanded() {
    opener = null
    for (const target of qsa(".order-machine-insert-target")) {
      const open = target.classList.contains("selected")
      target.setAttribute("aria-expanded", String(open))
      if (open) opener = target
    }
  }

  function setUpCollapseAll() {
    for (const icon of qsa(".machine-collapse .material-icons")) icon.setAttribute("aria-hidden", "true")
    const box = document.querySelector(".collapse-items input")
    box?.addEventListener("change", () => setTimeout(refresh, 0))
  }

  let removing = null

  function bind() {
    // A key pressed ends any pending focus move (capture: before the key's own handler starts one).
    document.addEventListener(
      "keydown",
      () => {
        focusRound++
      },
      true,
    )
    // On window: after the editor's own handler on document (it numbers the row and places it where
    // "+" was pressed), and still before the menu closes, so the focus never drops to the page.
    window.addEventListener("formset:added", (event) => {
      const row = event.target
      if (!machine.contains(row) || !KINDS[event.detail.formsetName]) return
      decorate(row)
      syncDom()
      refresh()
      announce(`${row.dataset.a11yTitle} hinzugefügt.`)
      row.querySelector(".block-toggle")?.focus() // until its first field is ready
      focusFirstField(row)
    })
    // A new block's "Entfernen": the focus goes to the next block, else to "Block am Ende hinzufügen".
    document.addEventListener(
      "click",
      (event) => {
        const link = event.target.closest(".order-machine .inline-deletelink")
        if (!link) return
        const inline = link.closest(".inline-related")
        const list = blocks()
        const index = list.indexOf(inline)
        removing = { title: inline.dataset.a11yTitle, next: list[index + 1] || list[index - 1] || null }
      },
      true,
    )
    // At once (the row is gone, the focus with it), so that the focus is never left on the page. (Django
    // sends this event on document, not bubbling; registered after the editor's own handler.)
    document.addEventListener("formset:removed", (event) => {
      if (!KINDS[event.detail.formsetName] || !removing) return
      const { title, next } = removing
      removing = null
      const focusable = next?.isConnected ? next.querySelector(".block-toggle") : null
      ;(focusable || lastTarget).focus()
      refresh()
      announce(`${title} entfernt.`)
    })
    // Marking a saved block for deletion: the editor blurs the box (on the machine); keep the focus on it.
    window.addEventListener("click", (event) => {
      const box = event.target.closest?.(".order-machine .delete > input[type=checkbox]")
      if (!box) return
      box.focus()
      refresh()
      const title = box.closest(".inline-related").dataset.a11yTitle
      announce(box.checked ? `${title} wird beim Speichern gelöscht.` : "Löschen zurückgenommen.")
    })
    // A mouse drop changes only the CSS order: bring the page order along.
    machine.addEventListener("drop", () =>
      setTimeout(() => {
        syncDom()
        refresh()
      }, 0),
    )
    let timer = null
    const later = () => {
      clearTimeout(timer)
      timer = setTimeout(refresh, 150)
    }
    machine.addEventListener("input", later)
    machine.addEventListener("change", later)
    // The heading toggles a block on a mouse click.
    machine.addEventListener("click", (event) => {
      if (event.target.closest(".inline-related > h3")) setTimeout(refresh, 0)
    })
  }

  document.addEventListener("content-editor:ready", () => {
    machine = document.querySelector(".order-machine")
    wrapper = document.querySelector(".order-machine-wrapper")
    if (!machine || !wrapper) return
    editable = window.ContentEditor?.allowChange !== false
    lastTarget = machine.querySelector(".order-machine-insert-target.last")
    status = crel("div", { className: "visually-hidden", role: "status", "aria-live": "polite" })
    wrapper.append(status)
    if (lastTarget) makeTarget(lastTarget)
    setUpMenu()
    setUpCollapseAll()
    // Icons of the blocks, also in the templates new blocks are copied from.
    for (const icon of qsa(".material-icons", machine)) icon.setAttribute("aria-hidden", "true")
    for (const inline of qsa(":scope > .inline-related", machine)) decorate(inline)
    syncDom()
    refresh()
    bind()
  })
})()
