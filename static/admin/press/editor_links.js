/* The rich-text editor's link dialog with a search for the site's own pages by title.
   Replaces the editor's Link extension (same menu item, same shortcut); the search asks the address in
   the extension's option ``linkTargetsUrl`` (JSON: {results: [{title, url, kind, state}]}) and fills in
   the chosen page's address. Without that option it is the editor's usual link dialog. */
import { Link as BaseLink, updateAttrsDialog } from "django-prose-editor/editor"

const DELAY = 200

const crel = (tag, props = {}, children = []) => {
  const el = document.createElement(tag)
  for (const [key, val] of Object.entries(props)) {
    if (/^(aria-|data-|role$)/.test(key)) el.setAttribute(key, val)
    else el[key] = val
  }
  el.append(...children)
  return el
}

let listId = 0

/* Turns the dialog's search field into a combobox whose choice fills ``hrefInput``. */
function attachSearch(searchInput, hrefInput, url) {
  const list = crel("ul", { id: `prose-link-targets-${++listId}`, role: "listbox", className: "prose-link-targets", hidden: true })
  const status = crel("p", { className: "prose-link-status", "aria-live": "polite" })
  searchInput.after(list, status)
  searchInput.setAttribute("role", "combobox")
  searchInput.setAttribute("aria-autocomplete", "list")
  searchInput.setAttribute("aria-expanded", "false")
  searchInput.setAttribute("aria-controls", list.id)
  searchInput.autocomplete = "off"
  let results = []
  let active = -1
  let timer = null
  let asked = 0

  const close = () => {
    list.hidden = true
    searchInput.setAttribute("aria-expanded", "false")
    searchInput.removeAttribute("aria-activedescendant")
    active = -1
  }
  const mark = (index) => {
    active = index
    list.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index))
      if (i === index) searchInput.setAttribute("aria-activedescendant", option.id)
    })
  }
  const choose = (index) => {
    const result = results[index]
    if (!result) return
    hrefInput.value = result.url
    hrefInput.dispatchEvent(new Event("input", { bubbles: true }))
    searchInput.value = result.title
    status.textContent = `Verlinkt: ${result.title} (${result.url})`
    close()
  }
  const show = () => {
    list.replaceChildren(
      ...results.map((result, index) =>
        crel("li", { id: `${list.id}-${index}`, role: "option", "aria-selected": "false" }, [
          crel("span", { className: "prose-link-title", textContent: result.title }),
          crel("span", {
            className: "prose-link-meta",
            textContent: [result.kind, result.state].filter(Boolean).join(" · "),
          }),
        ]),
      ),
    )
    list.querySelectorAll("[role=option]").forEach((option, index) => {
      option.addEventListener("mousedown", (event) => {
        event.preventDefault() // keep the focus in the field
        choose(index)
      })
    })
    const open = results.length > 0
    list.hidden = !open
    searchInput.setAttribute("aria-expanded", String(open))
    status.textContent = open ? `${results.length} Treffer` : "Keine passende Seite gefunden."
  }
  const search = async () => {
    const query = searchInput.value.trim()
    if (query.length < 2) {
      results = []
      close()
      status.textContent = ""
      return
    }
    const mine = ++asked
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      if (!response.ok) throw new Error(response.status)
      const data = await response.json()
      if (mine !== asked) return
      results = data.results || []
      show()
    } catch (error) {
      status.textContent = "Die Suche ist gerade nicht erreichbar."
    }
  }

  searchInput.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(search, DELAY)
  })
  searchInput.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && results.length) {
      event.preventDefault()
      if (list.hidden) show()
      mark((active + 1) % results.length)
    } else if (event.key === "ArrowUp" && results.length) {
      event.preventDefault()
      mark(active <= 0 ? results.length - 1 : active - 1)
    } else if (event.key === "Enter") {
      event.preventDefault() // never submits the dialog from the search field
      if (!list.hidden) choose(active >= 0 ? active : 0)
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault()
      event.stopPropagation() // close the list, not the dialog
      close()
    }
  })
  searchInput.addEventListener("blur", () => setTimeout(close, 150))
}

function linkDialog(editor, attrs, options) {
  const properties = {}
  if (options.linkTargetsUrl) {
    properties.linkTarget = {
      type: "string",
      title: "Seite dieser Website suchen",
      description: " (Titel einer Pressemitteilung oder Partnerstadt)",
    }
  }
  properties.href = { type: "string", title: "Adresse (URL)" }
  properties.title = { type: "string", title: "Titel (optional)" }
  const parent = editor.view.dom.parentElement
  const before = new Set(parent.querySelectorAll("dialog"))
  const answer = updateAttrsDialog(properties, { title: "Link bearbeiten", submitText: "Übernehmen" })(editor, attrs)
  // The dialog is built synchronously; give its search field the page search.
  const dialog = [...parent.querySelectorAll("dialog")].find((d) => !before.has(d))
  if (dialog && options.linkTargetsUrl) {
    const search = dialog.querySelector("input[name=linkTarget]")
    const href = dialog.querySelector("input[name=href]")
    if (search && href) {
      attachSearch(search, href, options.linkTargetsUrl)
      if (!href.value) search.focus()
    }
  }
  return answer.then((values) => values && { href: values.href, title: values.title || null, target: null, rel: null })
}

export const Link = BaseLink.extend({
  addOptions() {
    return { ...this.parent?.(), linkTargetsUrl: "" }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          if (editor.state.selection.empty && !editor.isActive("link")) return false
          linkDialog(editor, editor.getAttributes(this.name), this.options).then((attrs) => {
            if (!attrs) return
            if (!attrs.href) {
              editor.chain().focus().extendMarkRange(this.name).unsetLink().run()
            } else if (editor.isActive("link")) {
              editor.chain().focus().extendMarkRange(this.name).updateAttributes(this.name, attrs).run()
            } else {
              editor.chain().focus().setMark(this.name, attrs).run()
            }
          })
          return true
        },
    }
  },
})

const style = document.createElement("style")
style.textContent = `
.prose-editor-dialog ul.prose-link-targets { list-style: none; margin: 0.2em 0 0; padding: 0; max-height: 16em; overflow-y: auto;
  border: 1px solid var(--border-color, #ccc); background: var(--body-bg, #fff); }
.prose-link-targets [role=option] { padding: 0.35em 0.6em; cursor: pointer; display: flex; justify-content: space-between; gap: 1em; }
.prose-link-targets [role=option]:hover, .prose-link-targets [aria-selected=true] { background: var(--selected-row, #ffc); }
.prose-link-meta { color: var(--body-quiet-color, #666); font-size: 0.9em; white-space: nowrap; }
.prose-link-status { margin: 0.2em 0 0; font-size: 0.9em; color: var(--body-quiet-color, #666); }
`
document.head.append(style)
