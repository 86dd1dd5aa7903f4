// Uploading a recording with a progress bar. Interview recordings can be gigabytes, and a plain
// form post shows nothing until it is done. This script sends the same form with XMLHttpRequest,
// whose upload progress event fills the <progress> element; the server answers with JSON naming
// the page to show next (with its message). Without JavaScript the form posts as usual.
(function () {
  "use strict";
  const form = document.getElementById("recording-upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const input = form.querySelector("input[type=file]");
  const status = document.getElementById("recording-upload-status");
  const progressBox = form.querySelector("[data-progress]");
  const progress = progressBox.querySelector("progress");
  const submit = form.querySelector("button[type=submit]");
  const cancel = form.querySelector("[data-cancel]");
  const maxBytes = Number(form.dataset.maxBytes);
  let request = null;

  function reset(message) {
    request = null;
    submit.disabled = false;
    input.disabled = false;
    cancel.hidden = true;
    progressBox.hidden = true;
    status.textContent = message || "";
  }

  form.addEventListener("submit", function (event) {
    const file = input.files && input.files[0];
    if (!file) return; // let the browser say the field is required
    event.preventDefault();
    if (maxBytes && file.size > maxBytes) {
      // Say it at once rather than after sending gigabytes the server would refuse.
      status.textContent = form.dataset.tooLarge;
      input.focus();
      return;
    }
    const data = new FormData(form);
    request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      const percent = Math.floor((e.loaded / e.total) * 100);
      progress.value = percent;
      status.textContent = form.dataset.uploading + " " + percent + " %";
    });
    request.upload.addEventListener("load", function () {
      progress.value = 100;
      status.textContent = form.dataset.saving;
    });
    request.addEventListener("load", function () {
      let answer = null;
      try {
        answer = JSON.parse(request.responseText);
      } catch (ignored) {
        answer = null;
      }
      if (request.status === 200 && answer && answer.location) {
        const target = new URL(answer.location, window.location.href);
        if (target.pathname === window.location.pathname && target.search === window.location.search) {
          // Same page: changing only the anchor would not load it again with its message.
          window.location.hash = target.hash;
          window.location.reload();
        } else {
          window.location.assign(target.href);
        }
      } else {
        reset(form.dataset.failed);
      }
    });
    request.addEventListener("error", function () { reset(form.dataset.failed); });
    request.addEventListener("abort", function () { reset(""); });
    submit.disabled = true;
    input.disabled = true;
    cancel.hidden = false;
    progress.value = 0;
    progressBox.hidden = false;
    request.send(data);
  });

  cancel.addEventListener("click", function () {
    if (request) request.abort();
  });
})();
