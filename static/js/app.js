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
  // The error summary of a form posted with errors takes focus, so that it is read out and
  // seen first (GOV.UK / NL Design System pattern); its links move focus to their field.
  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      return true;
    }
    return false;
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-link]");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    // Scroll the field's label (or legend) into view with it, then focus the field.
    var label = document.querySelector('label[for="' + field.id + '"]') ||
      (field.closest("fieldset") && field.closest("fieldset").querySelector("legend"));
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
  // Fields with a length limit show how many characters are left, as the user types or
  // pastes; the browser's maxlength is not used, since it cuts a paste off without a word.
  function countCharacters(field) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    var counter = document.getElementById(field.id + "_count");
    if (!limit || !counter) return;
    var left = limit - field.value.length;
    var template = left >= 0 ? counter.getAttribute("data-left") : counter.getAttribute("data-over");
    counter.textContent = template.replace("%(n)s", String(Math.abs(left)));
    counter.classList.toggle("text-danger", left < 0);
    counter.classList.toggle("text-muted", left >= 0);
  }
  function countAll(root) {
    root.querySelectorAll("[data-maxlength]").forEach(countCharacters);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-maxlength]")) {
      countCharacters(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { countAll(document); });
  // After an htmx swap, move focus to the error summary, else the first invalid field.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    // An outerHTML swap replaces the target: then look in the whole page.
    var root = event.detail.target.isConnected ? event.detail.target : document;
    countAll(root);
    if (focusErrorSummary(root)) return;
    var invalid = root.querySelector(".is-invalid");
    if (invalid) { invalid.focus(); }
  });
})();
