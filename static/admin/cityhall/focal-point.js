/* Image library admin: pick the focal point by clicking the preview. The two number fields stay the
   keyboard's way (and show the value); a click or a typed value moves the marker. No library. */
"use strict";
(function () {
    function init() {
        const x = document.getElementById("id_focal_x");
        const y = document.getElementById("id_focal_y");
        const img = document.querySelector(".field-preview img");
        if (!x || !y || !img) {
            return;
        }
        const picker = document.createElement("span");
        picker.className = "focal-picker";
        picker.title = "Klicken, um den Bildmittelpunkt zu setzen";
        img.parentNode.insertBefore(picker, img);
        picker.appendChild(img);
        const marker = document.createElement("span");
        marker.className = "focal-marker";
        marker.setAttribute("aria-hidden", "true");
        picker.appendChild(marker);
        const hint = document.createElement("p");
        hint.className = "help focal-hint";
        hint.textContent = "Ins Bild klicken, um den Bildmittelpunkt zu setzen (oder unten die Prozentwerte eintragen).";
        picker.parentNode.insertBefore(hint, picker.nextSibling);

        function clamp(value) {
            const number = Math.round(Number(value));
            return Number.isFinite(number) ? Math.min(100, Math.max(0, number)) : 50;
        }
        function place() {
            marker.style.left = clamp(x.value === "" ? 50 : x.value) + "%";
            marker.style.top = clamp(y.value === "" ? 50 : y.value) + "%";
        }
        img.addEventListener("click", function (event) {
            const box = img.getBoundingClientRect();
            x.value = clamp(((event.clientX - box.left) / box.width) * 100);
            y.value = clamp(((event.clientY - box.top) / box.height) * 100);
            x.dispatchEvent(new Event("change", { bubbles: true }));
            y.dispatchEvent(new Event("change", { bubbles: true }));
            place();
        });
        x.addEventListener("input", place);
        y.addEventListener("input", place);
        place();
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
