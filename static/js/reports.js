// The report archive: show the month picker or the date range, after the chosen kind of report.
(function () {
  "use strict";
  var form = document.querySelector(".report-form");
  if (!form) { return; }
  function sync() {
    var checked = form.querySelector("input[name=kind]:checked");
    var kind = checked ? checked.value : "monthly";
    form.querySelectorAll("[data-kind]").forEach(function (el) { el.hidden = el.dataset.kind !== kind; });
  }
  form.addEventListener("change", sync);
  sync();
})();
