// Checks a large upload step by step: posts the progress page's form, moves the bar, and goes on
// until every row is checked, then opens the preview. Without this script the button does the same,
// one step per press.
(function () {
  "use strict";
  var form = document.querySelector("form[data-import-progress]");
  if (!form || !window.fetch) {
    return;
  }
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  var button = form.querySelector("button");

  function step() {
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        bar.max = progress.total;
        bar.value = progress.checked;
        text.textContent = progress.label;
        if (progress.done) {
          window.location.assign(progress.next);
        } else {
          step();
        }
      })
      .catch(function () {
        // The connection dropped: the officer can go on with the button.
        button.hidden = false;
      });
  }

  button.hidden = true;
  step();
})();
