/* The content checks panel on the release form: reads what the form holds now (head fields and the
   blocks in their order), asks the server's checks (press.content_checks) and shows their findings.
   The rules live on the server only, so the panel and the tests agree. The checks warn, never block. */
;(() => {
  const panel = document.getElementById("inhaltspruefung")
  const form = panel && panel.closest("form")
  // A read-only form (no title field) keeps the findings rendered with the page.
  if (!form || !form.elements.namedItem("title")) return
  const body = panel.querySelector(".press-checks__body")
  const url = panel.dataset.checksUrl
  const kinds = {
    press_textblock_set: "text",
    press_backgroundblock_set: "background",
    press_quoteblock_set: "quote",
    press_imageblock_set: "image",
  }

  const value = (name) => {
    const field = form.elements.namedItem(name)
    return field && "value" in field ? field.value : ""
  }

  const blocks = () => {
    const found = []
    for (const [prefix, kind] of Object.entries(kinds)) {
      for (const ordering of form.querySelectorAll(`[name^="${prefix}-"][name$="-ordering"]`)) {
        const start = ordering.name.slice(0, -"ordering".length)
        if (start.includes("__prefix__")) continue
        const deleted = form.elements.namedItem(`${start}DELETE`)
        if (deleted && deleted.checked) continue
        found.push({
          order: Number.parseFloat(ordering.value) || 0,
          kind,
          html: value(`${start}html`),
          text: value(`${start}text`),
          title: value(`${start}title`),
          image: value(`${start}image`),
          alt: value(`${start}alt_text`),
        })
      }
    }
    return found.sort((a, b) => a.order - b.order)
  }

  const payload = () => ({
    title: value("title"),
    lead: value("lead"),
    image: value("image"),
    image_alt: value("image_alt"),
    blocks: blocks(),
  })

  let timer = null
  let last = ""
  const refresh = async () => {
    const data = JSON.stringify(payload())
    if (data === last) return
    last = data
    panel.setAttribute("aria-busy", "true")
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": value("csrfmiddlewaretoken"),
        },
        body: data,
      })
      if (response.ok && data === last) body.innerHTML = (await response.json()).html
    } catch (error) {
      console.warn("Inhaltsprüfung nicht erreichbar", error)
    } finally {
      panel.removeAttribute("aria-busy")
    }
  }
  const later = () => {
    clearTimeout(timer)
    timer = setTimeout(refresh, 500)
  }

  form.addEventListener("input", later)
  form.addEventListener("change", later)
  // Blocks added, moved or removed by the content editor change the order without an input event.
  new MutationObserver(later).observe(form, { childList: true, subtree: true })
  refresh()
})()
