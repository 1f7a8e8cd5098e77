// Small behaviours without inline script (the Content Security Policy forbids it).
(function () {
  "use strict";
  // Buttons and links with data-confirm ask before they act.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // Selects marked data-autosubmit submit their form on change (filters, sorting).
  document.addEventListener("change", function (event) {
    var target = event.target.closest("[data-autosubmit]");
    if (target && target.form) {
      target.form.requestSubmit();
    }
  });
  // "Select all" checkboxes for bulk actions.
  document.addEventListener("change", function (event) {
    var toggle = event.target.closest("[data-select-all]");
    if (!toggle) return;
    var name = toggle.getAttribute("data-select-all");
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = toggle.checked;
    });
  });
  // Buttons marked data-print open the browser's print dialog (printable agendas).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
  // After an htmx swap, move focus to the first invalid field or the swapped region.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var invalid = event.detail.target.querySelector(".is-invalid");
    if (invalid) { invalid.focus(); }
  });
})();
