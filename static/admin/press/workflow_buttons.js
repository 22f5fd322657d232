/* The workflow buttons of the release form say what they will do with what is in the form:
   a publish button reads the time typed (not the one saved) and says "Jetzt veröffentlichen" or
   "Für … Uhr planen"; it sends what it promised, and the server refuses a mismatch. A step that
   needs a reason ("Zurück an die Redaktion") asks for it before the form is sent. */
(function () {
  "use strict";
  var buttons = document.querySelector(".press-workflow__buttons");
  if (!buttons) return;
  var intent = document.getElementById("id__publish_intent");
  var dateInput = document.getElementById("id_published_at_0");
  var timeInput = document.getElementById("id_published_at_1");
  var loaded = Date.now();
  var serverNow = parseWall(buttons.dataset.now || "");
  var months = new Intl.DateTimeFormat("de-DE", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function parseWall(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
    return m ? Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : null;
  }

  function typed() {
    /* The local wall-clock time in the form as a UTC timestamp of the same digits, or null. */
    if (!dateInput || !timeInput) return null;
    var d = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(dateInput.value) ||
      /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(dateInput.value);
    var t = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(timeInput.value);
    if (!d || !t) return null;
    var year = d[3].length === 4 ? +d[3] : +d[1];
    var month = d[3].length === 4 ? +d[2] : +d[2];
    var day = d[3].length === 4 ? +d[1] : +d[3];
    return Date.UTC(year, month - 1, day, +t[1], +t[2], t[3] ? +t[3] : 0);
  }

  function wall(ts) {
    var d = new Date(ts);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
      pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }

  function update() {
    var when = typed();
    if (when === null || serverNow === null) return;
    var later = when > serverNow + (Date.now() - loaded);
    var shown = months.format(new Date(when)) + ", " + wall(when).slice(11);
    if (intent) intent.value = later ? wall(when) : "now";
    buttons.querySelectorAll("[data-publishing]").forEach(function (button) {
      var combined = button.dataset.publishing === "approve_publish";
      if (later) {
        button.textContent = (combined ? "Freigeben und für " : "Für ") + shown + " Uhr planen";
      } else {
        button.textContent = combined ? "Freigeben und veröffentlichen" : "Jetzt veröffentlichen";
      }
    });
  }

  [dateInput, timeInput].forEach(function (input) {
    if (!input) return;
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });
  window.setInterval(update, 1000); /* the calendar's shortcuts and the passing of time */

  buttons.querySelectorAll("[data-needs-reason]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var reason = document.getElementById(button.dataset.needsReason);
      if (reason && !reason.value.trim()) {
        event.preventDefault();
        reason.setCustomValidity("Bitte einen Grund angeben: Die Redaktion erfährt ihn.");
        reason.reportValidity();
        reason.focus();
      }
    });
  });
  var note = document.getElementById("id__step_note");
  if (note) note.addEventListener("input", function () { note.setCustomValidity(""); });
})();
