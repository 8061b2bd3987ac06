// Ledger pages: a form is sent once (the server also ignores a repeated progress entry),
// and the file input lists what was chosen.
(function () {
  "use strict";
  document.querySelectorAll("form.js-submit-once").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (form.dataset.sent) { return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        if (button.dataset.busy) { button.textContent = button.dataset.busy; }
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
  document.querySelectorAll("input[type=file][multiple]").forEach(function (input) {
    var list = document.createElement("ul");
    list.className = "small text-muted mt-1 mb-0 ps-3";
    input.insertAdjacentElement("afterend", list);
    input.addEventListener("change", function () {
      list.innerHTML = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)";
        list.appendChild(item);
      });
    });
  });
})();
