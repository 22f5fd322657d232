// Who else has this release open (a soft lock: nobody is blocked). Reports this page to the
// presence endpoint on a heartbeat and shows the others it names; says goodbye on leaving.
;(() => {
  const box = document.getElementById("press-presence")
  if (!box) return
  const url = box.dataset.url
  const every = (+box.dataset.heartbeat || 20) * 1000
  const token = document.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""

  const show = (text) => {
    box.querySelector(".press-presence__text").textContent = text
    box.hidden = !text
  }
  const beat = async () => {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "X-CSRFToken": token },
        body: new URLSearchParams(),
        credentials: "same-origin",
      })
      if (response.ok) show((await response.json()).notice)
    } catch {
      // offline for a moment: the next beat tries again
    }
  }
  setInterval(beat, every)
  beat()
  window.addEventListener("pagehide", () => {
    const body = new FormData()
    body.append("leave", "1")
    body.append("csrfmiddlewaretoken", token)
    navigator.sendBeacon(url, body)
  })
})()
