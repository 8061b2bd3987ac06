// Ledger pages: a form is sent once (the server also ignores a repeated progress entry),
// the file input lists what was chosen, and a refused form (its errors summed up at the
// top of the page) brings its first wrong field into view and focus.
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
  var refused = document.querySelector("[data-refused-form]");
  if (refused) {
    var field = document.querySelector("form .is-invalid");
    if (field) {
      var closed = field.closest("details");
      if (closed) { closed.open = true; }
      field.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    } else {
      refused.focus();
    }
  }
  document.querySelectorAll("[data-refused-form] a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var closed = target.closest("details");
      if (closed) { closed.open = true; }
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    });
  });
})();
