// Behaviour every page shares, in a file because the Content-Security-Policy allows no inline
// script or style: a select marked data-autosubmit sends its form when changed, and an element
// with data-width (a progress bar, also one htmx swapped in) gets that width in percent.
(function () {
  "use strict";
  function setWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, parseFloat(el.dataset.width) || 0)) + "%";
    });
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
  });
  setWidths(document);
  document.body.addEventListener("htmx:load", function (event) { setWidths(event.target); });
})();
