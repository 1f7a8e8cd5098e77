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
  // Links marked data-busy (a PDF made on request) say they are busy until the file has come:
  // the link is fetched here, then saved under the server's file name. A failure falls back to
  // following the link, so the server's own error page shows.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-busy]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    var status = document.getElementById("busy-status");
    link.setAttribute("aria-disabled", "true");
    link.classList.add("is-busy");
    if (status) status.textContent = link.getAttribute("data-busy");
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      var match = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") || "");
      return response.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var save = document.createElement("a");
        save.href = url;
        save.download = match ? match[1] : "";
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
        if (status) status.textContent = link.getAttribute("data-busy-done") || "";
      });
    }).catch(function () {
      if (status) status.textContent = "";
      window.location.href = link.href;
    }).finally(function () {
      link.removeAttribute("aria-disabled");
      link.classList.remove("is-busy");
    });
  });
  // After an htmx swap, move focus to the first invalid field or the swapped region.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var invalid = event.detail.target.querySelector(".is-invalid");
    if (invalid) { invalid.focus(); }
  });
})();
