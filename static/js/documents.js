// Upload forms: one file at a time (the camera's photo or a chosen file), and a file over the limit is
// refused here, before it travels over a weak connection; the server refuses it too.
document.querySelectorAll("form[data-max-bytes]").forEach((form) => {
  const max = Number(form.dataset.maxBytes);
  const inputs = Array.from(form.querySelectorAll("input[type=file]"));
  const note = form.querySelector("[data-file-note]");
  const chosen = () => inputs.map((input) => input.files[0]).find(Boolean);
  const show = (text, bad) => {
    note.textContent = text;
    note.classList.toggle("error-text", bad);
  };
  inputs.forEach((input) => {
    input.addEventListener("change", () => {
      if (input.files[0]) inputs.filter((other) => other !== input).forEach((other) => { other.value = ""; });
      const file = chosen();
      if (!file) return show("", false);
      const size = file.size < 1048576 ? `${Math.ceil(file.size / 1024)} KB` : `${(file.size / 1048576).toFixed(1)} MB`;
      if (file.size > max) return show(`${form.dataset.tooLarge} (${file.name}: ${size})`, true);
      return show(`${file.name} (${size})`, false);
    });
  });
  form.addEventListener("submit", (event) => {
    const file = chosen();
    if (file && file.size > max) {
      event.preventDefault();
      show(form.dataset.tooLarge, true);
    }
  });
});
