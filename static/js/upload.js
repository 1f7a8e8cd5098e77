// Uploads with a progress bar: the form is sent with XMLHttpRequest, which reports how much
// of the file has gone; the server's answer (the document page, or the form with its errors)
// then replaces the page, as a normal submit would. Without script the form posts as usual.
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      event.preventDefault();
      var box = form.querySelector("[data-upload-progress]");
      var bar = box && box.querySelector("progress");
      var status = box && box.querySelector("[data-upload-status]");
      var button = form.querySelector("button[type=submit]");
      if (box) box.hidden = false;
      if (button) button.disabled = true;
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action") || window.location.href);
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !bar) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        if (status) status.textContent = percent + "%";
        if (percent >= 100 && status) status.textContent = form.getAttribute("data-upload-busy");
      });
      request.addEventListener("load", function () {
        if (request.responseURL && request.responseURL !== window.location.href) {
          window.location.assign(request.responseURL);
          return;
        }
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () {
        if (status) status.textContent = form.getAttribute("data-upload-failed");
        if (button) button.disabled = false;
      });
      request.send(new FormData(form));
    });
  });
})();
