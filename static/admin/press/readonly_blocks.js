// django-content-editor (9.1) expects every block to carry <input> fields for its ordering and
// region; on a read-only change page (view permission only) Django shows them as plain text, and
// the editor stops with "Cannot read properties of null (reading 'classList')", leaving the
// blocks' fields hidden. Give such blocks disabled hidden inputs (never submitted) with the shown
// values. Runs as a classic script after the inlines, so before the editor's module starts.
;(() => {
  for (const inline of document.querySelectorAll(".inline-related[id]")) {
    for (const name of ["ordering", "region"]) {
      const row = inline.querySelector(`.field-${name}`)
      if (!row || row.querySelector(`input[name$="-${name}"]`)) continue
      const shown = row.querySelector(".readonly")
      const input = document.createElement("input")
      input.type = "hidden"
      input.disabled = true
      input.name = `${inline.id}-${name}`
      const text = shown ? shown.textContent.trim() : ""
      input.value = name === "ordering" ? text.replace(/[^\d-]/g, "") : text
      row.append(input)
    }
  }
})()
