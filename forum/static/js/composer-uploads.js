// Attachments in the composer: a button, drag and drop, and paste; several files at once, each
// with its progress (XMLHttpRequest reports upload progress, fetch does not). A finished upload
// puts its Markdown at the cursor; a refused one shows the server's message and the text stays.

import { csrfToken } from "./http.js";

export class ComposerUploads {
  constructor(root, textarea) {
    this.box = root.querySelector(".composer-uploads");
    this.textarea = textarea;
    if (!this.box) return;
    this.input = this.box.querySelector(".upload-input");
    this.list = this.box.querySelector(".upload-list");
    this.error = this.box.querySelector(".upload-error");
    this.maxBytes = Number(this.box.dataset.maxBytes) || Infinity;
    this.pending = 0;
    // Without this script the input is a plain one sent with the form; with it, a button.
    this.input.classList.add("visually-hidden");
    this.input.closest("label").classList.add("button");
    const hint = this.box.querySelector(".hint[data-script-text]");
    if (hint) hint.textContent = hint.dataset.scriptText;

    this.input.addEventListener("change", () => {
      this.uploadAll([...this.input.files]);
      this.input.value = "";
    });
    textarea.addEventListener("dragover", (event) => {
      if (!hasFiles(event.dataTransfer)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      textarea.classList.add("is-drop-target");
    });
    textarea.addEventListener("dragleave", () => textarea.classList.remove("is-drop-target"));
    textarea.addEventListener("drop", (event) => {
      textarea.classList.remove("is-drop-target");
      if (!hasFiles(event.dataTransfer)) return;
      event.preventDefault();
      this.uploadAll([...event.dataTransfer.files]);
    });
    textarea.addEventListener("paste", (event) => {
      const files = event.clipboardData ? [...event.clipboardData.files] : [];
      if (!files.length) return;          // ordinary text paste
      event.preventDefault();
      this.uploadAll(files);
    });
  }

  get busy() {
    return this.pending > 0;
  }

  uploadAll(files) {
    this.hideError();
    for (const file of files) this.upload(file);
  }

  upload(file) {
    if (file.size > this.maxBytes) {
      this.showError(this.box.dataset.tooLargeText);
      return;
    }
    const item = this.addItem(file.name);
    const form = new FormData();
    form.append("type", "composer");
    form.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", this.box.dataset.uploadUrl);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) item.progress.value = event.loaded / event.total;
    });
    this.pending += 1;
    xhr.addEventListener("loadend", () => {
      this.pending -= 1;
      const body = xhr.response || {};
      if (xhr.status === 200 && body.markdown) {
        this.insert(body.markdown);
        item.label.textContent = this.text("doneText", body.original_filename);
        item.progress.value = 1;
        setTimeout(() => item.element.remove(), 4000);
      } else {
        item.element.remove();
        const message = Array.isArray(body.errors) && body.errors.length
          ? body.errors.join(" ") : this.box.dataset.errorText;
        this.showError(`${file.name}: ${message}`);
      }
    });
    xhr.send(form);
  }

  // The reference goes where the cursor is, on its own line, and counts as an edit (draft, preview).
  insert(markdown) {
    const area = this.textarea;
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? start;
    const before = area.value.slice(0, start);
    const text = (before && !before.endsWith("\n") ? "\n" : "") + markdown + "\n";
    area.setRangeText(text, start, end, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  addItem(name) {
    const element = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = this.text("uploadingText", name);
    const progress = document.createElement("progress");
    progress.max = 1;
    progress.value = 0;
    progress.setAttribute("aria-label", name);
    element.append(label, progress);
    this.list.append(element);
    return { element, label, progress };
  }

  text(key, name) {
    return (this.box.dataset[key] || "{name}").replace("{name}", name);
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  hideError() {
    this.error.hidden = true;
    this.error.textContent = "";
  }
}

function hasFiles(transfer) {
  return transfer && [...transfer.types].includes("Files");
}
