// The composer: live preview, drafts saved to the server and backed up on this device,
// a warning before leaving with unsaved text, and Ctrl/Cmd+Enter to send.
// Without JavaScript the form still posts normally; this only adds comfort and safety.

import { urls, request, getJSON, sendJSON, debounce, HttpError } from "./http.js";
import { LocalCopy, forgetAllLocalCopies } from "./local-copy.js";
import { ComposerUploads } from "./composer-uploads.js";

const PREVIEW_DELAY = 450;            // ms after the last keystroke
const SAVE_DELAY = 2500;              // ms after typing stops
const SAVE_MAX_WAIT = 15000;          // save at least this often while typing without a pause
const RETRY_DELAYS = [5000, 15000, 60000];

const composers = new Set();

export function initComposers() {
  for (const root of document.querySelectorAll(".composer[data-draft-key]")) {
    const textarea = root.querySelector("textarea[data-composer]");
    if (textarea && !root.dataset.enhanced) {
      root.dataset.enhanced = "1";
      composers.add(new Composer(root, textarea));
    }
  }
  if (composers.size) {
    window.addEventListener("beforeunload", warnIfUnsaved);
    window.addEventListener("pagehide", () => composers.forEach((c) => c.flush()));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") composers.forEach((c) => c.flush());
    });
    window.addEventListener("online", () => composers.forEach((c) => c.saveSoon({ now: true })));
    // Coming back with the Back button: the page is restored as it was, so allow sending again.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) composers.forEach((c) => { c.submitting = false; });
    });
  }
}

// Remove every local copy (used when logging out on a shared computer).
export const forgetLocalDrafts = forgetAllLocalCopies;

function warnIfUnsaved(event) {
  for (const composer of composers) {
    if (composer.hasUnsavedChanges()) {
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value; the text shown is the browser's own
      return;
    }
  }
}

class Composer {
  constructor(root, textarea) {
    this.root = root;
    this.textarea = textarea;
    this.form = root.closest("form");
    this.scope = this.form || root;
    this.key = root.dataset.draftKey;
    this.status = root.querySelector(".draft-status");
    this.preview = root.querySelector(".preview");
    this.previewBody = root.querySelector(".preview-body");
    this.local = new LocalCopy(root.dataset.userId, this.key);
    this.serverRaw = textarea.value;     // the text the server is known to have (page or draft)
    this.sequence = null;                // the server's draft sequence, learnt on first save
    this.changes = 0;                    // bumps on every edit; a save covers the edits up to it
    this.savedChanges = 0;
    this.firstUnsavedAt = 0;
    this.saving = null;
    this.failures = 0;
    this.retryTimer = null;
    this.serverDrafts = true;            // false once the server refuses drafts (e.g. logged out)
    this.submitting = false;
    this.previewRequest = null;
    this.previewCounter = 0;

    this.schedulePreview = debounce(() => this.renderPreview(), PREVIEW_DELAY);
    this.scheduleSave = debounce(() => this.save(), SAVE_DELAY);
    this.writeBackupSoon = debounce(() => this.writeBackup(), 300);

    this.uploads = new ComposerUploads(root, textarea);

    this.scope.addEventListener("input", (event) => this.onEdit(event));
    this.scope.addEventListener("change", (event) => {
      if (event.target !== textarea) this.onEdit(event);
    });
    this.scope.addEventListener("keydown", (event) => this.onKeydown(event));
    if (this.form) this.form.addEventListener("submit", (event) => this.onSubmit(event));

    const restored = this.restoreBackup();
    if (textarea.value.trim()) {
      this.renderPreview();
      if (!restored) this.recallReplyTo();
    }
  }

  // ----- state -----
  field(name) {
    if (!this.form) return null;
    const el = this.form.elements.namedItem(name);
    return el && !(el instanceof RadioNodeList) ? el : null;
  }

  data() {
    const data = { raw: this.textarea.value };
    for (const name of ["title", "category_id", "reply_to_post_number"]) {
      const el = this.field(name);
      if (el && el.value !== "") data[name] = el.value;
    }
    return data;
  }

  isEmpty(data = this.data()) {
    return !data.raw.trim() && !(data.title || "").trim();
  }

  hasUnsavedChanges() {
    return !this.submitting && this.changes !== this.savedChanges;
  }

  // ----- events -----
  onEdit(event) {
    if (this.submitting) return;
    if (!event.target || !event.target.name) return;
    if (!["raw", "title", "category_id", "reply_to_post_number"].includes(event.target.name)
        && event.target !== this.textarea) return;
    this.changes += 1;
    if (!this.firstUnsavedAt) this.firstUnsavedAt = Date.now();
    if (event.target === this.textarea) this.schedulePreview();
    this.writeBackupSoon();
    this.saveSoon();
    if (this.sequence === null) this.learnSequence().catch(() => {});
  }

  onKeydown(event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || !this.form) return;
    if (event.isComposing) return;
    event.preventDefault();
    if (typeof this.form.requestSubmit === "function") {
      this.form.requestSubmit();
    } else if (this.form.dispatchEvent(new Event("submit", { cancelable: true }))) {
      this.form.submit();
    }
  }

  onSubmit(event) {
    if (event.defaultPrevented) return;
    if (this.submitting) {          // a second tap on a slow connection must not post twice
      event.preventDefault();
      return;
    }
    if (this.uploads.busy) {        // the references are not in the text yet
      event.preventDefault();
      this.uploads.showError(this.uploads.box.dataset.waitText);
      return;
    }
    this.submitting = true;
    this.schedulePreview.cancel();
    this.scheduleSave.cancel();
    this.writeBackupSoon.cancel();
    // The server keeps what was typed if the post is refused, and discards the draft on success.
    this.removeBackup();
  }

  // ----- preview -----
  async renderPreview() {
    if (!this.preview || !this.previewBody) return;
    const raw = this.textarea.value;
    if (!raw.trim()) {
      this.preview.hidden = true;
      this.previewBody.replaceChildren();
      return;
    }
    if (this.previewRequest) this.previewRequest.abort();
    const controller = new AbortController();
    this.previewRequest = controller;
    const ticket = ++this.previewCounter;
    this.preview.classList.add("is-loading");
    try {
      const result = await sendJSON(urls.preview, { raw }, { signal: controller.signal });
      if (ticket !== this.previewCounter || typeof result.cooked !== "string") return;
      // The server cooks and sanitises exactly as for a saved post.
      this.previewBody.innerHTML = result.cooked;
      this.preview.hidden = false;
    } catch (error) {
      if (error.name !== "AbortError") console.info("[kafedra] preview unavailable:", error.message);
    } finally {
      if (ticket === this.previewCounter) this.preview.classList.remove("is-loading");
    }
  }

  // ----- server drafts -----
  saveSoon({ now = false } = {}) {
    if (!this.hasUnsavedChanges()) return;
    if (now) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    } else if (this.retryTimer) {
      return;                           // offline or failing: the retry timer will try again
    }
    if (now || (this.firstUnsavedAt && Date.now() - this.firstUnsavedAt > SAVE_MAX_WAIT)) {
      this.scheduleSave.cancel();
      this.save();
    } else {
      this.scheduleSave();
    }
  }

  // Ask the server for its copy of the draft: its sequence (so our next save is newer) and data.
  async learnSequence() {
    if (this.sequencePromise) return this.sequencePromise;
    this.sequencePromise = getJSON(urls.draft(this.key))
      .then((result) => {
        this.sequence = Number(result.draft_sequence) || 0;
        try {
          return result.draft ? JSON.parse(result.draft) : null;
        } catch {
          return null;
        }
      })
      .catch((error) => { this.sequencePromise = null; throw error; });
    return this.sequencePromise;
  }

  // The page puts a saved reply draft's text back, but not which post it answered: ask.
  async recallReplyTo() {
    const field = this.field("reply_to_post_number");
    if (!field || field.value) return;
    try {
      const draft = await this.learnSequence();
      if (draft && draft.reply_to_post_number && draft.raw === this.textarea.value && !field.value) {
        field.value = draft.reply_to_post_number;
        this.textarea.dispatchEvent(new CustomEvent("composer:restored", { bubbles: true }));
      }
    } catch { /* the reply still works, only without the link to the post */ }
  }

  async save({ retried = false } = {}) {
    if (!this.serverDrafts || this.submitting || !this.hasUnsavedChanges()) return;
    if (this.saving) {                  // one request at a time; save again when it ends
      const again = () => this.saveSoon();
      this.saving.then(again, again);
      return;
    }
    const upTo = this.changes;
    const data = this.data();
    let overtaken = false;
    this.saving = (async () => {
      if (this.sequence === null) await this.learnSequence();
      if (this.isEmpty(data)) {
        await request(urls.draft(this.key), { method: "DELETE" });
      } else {
        const sent = this.sequence + 1;
        const result = await sendJSON(urls.drafts, { draft_key: this.key, data, sequence: sent });
        const stored = Number(result.draft_sequence) || 0;
        this.sequence = Math.max(sent, stored);
        // Another tab saved with a higher sequence, so ours was ignored: send it once more,
        // as the latest edit should win.
        overtaken = stored > sent;
        if (overtaken) return;
      }
      this.savedChanges = Math.max(this.savedChanges, upTo);
      this.serverRaw = this.isEmpty(data) ? "" : data.raw;
      this.failures = 0;
      if (!this.hasUnsavedChanges()) {
        this.firstUnsavedAt = 0;
        this.removeBackup();
      }
      if (this.isEmpty(data)) this.hideStatus();
      else this.showStatus("saved");
    })();
    try {
      await this.saving;
    } catch (error) {
      this.saving = null;
      this.onSaveFailed(error);
      return;
    }
    this.saving = null;
    if (overtaken && !retried) {
      await this.save({ retried: true });
    } else if (this.hasUnsavedChanges()) {
      this.saveSoon();
    }
  }

  onSaveFailed(error) {
    this.writeBackup();
    this.showStatus("error");
    if (error instanceof HttpError && [401, 403, 404].includes(error.status)) {
      this.serverDrafts = false;        // not allowed here (or logged out): keep the local copy only
      return;
    }
    const delay = RETRY_DELAYS[Math.min(this.failures, RETRY_DELAYS.length - 1)];
    this.failures += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.save(); }, delay);
  }

  // On leaving the page: hand the last edits to the server without waiting for the answer.
  flush() {
    if (!this.hasUnsavedChanges()) return;
    this.writeBackupSoon.cancel();
    this.writeBackup();
    if (!this.serverDrafts || this.sequence === null) return;
    const data = this.data();
    if (this.isEmpty(data)) return;
    const upTo = this.changes;
    this.sequence += 1;
    request(urls.drafts, {
      method: "POST",
      json: { draft_key: this.key, data, sequence: this.sequence },
      keepalive: true,
    }).then(() => {
      this.savedChanges = Math.max(this.savedChanges, upTo);
      this.serverRaw = data.raw;
      this.removeBackup();
    }, () => {});
  }

  // ----- the copy on this device -----
  writeBackup() {
    if (this.submitting) return;
    const data = this.data();
    if (this.isEmpty(data)) this.local.remove();
    else this.local.write(data, this.serverRaw);
  }

  removeBackup() {
    this.local.remove();
  }

  // A backup exists only while the server has not confirmed the latest text. Put it back when
  // the box is empty, or holds exactly what the server had when the backup was made (so the
  // backup is newer, and nothing else has changed the text since).
  restoreBackup() {
    const backup = this.local.read();
    if (!backup) return false;
    const current = this.textarea.value;
    if (backup.data.raw === current) {
      this.removeBackup();
      return false;
    }
    if (current.trim() && current !== backup.base) return false;
    this.textarea.value = backup.data.raw;
    for (const name of ["title", "category_id", "reply_to_post_number"]) {
      const el = this.field(name);
      const value = backup.data[name];
      if (!el || value === undefined) continue;
      if (el.tagName === "SELECT") {
        if ([...el.options].some((option) => option.value === String(value))) el.value = value;
      } else if (!el.value || name === "title") {
        el.value = value;
      }
    }
    this.changes += 1;
    this.firstUnsavedAt = Date.now();
    this.showStatus("restored");
    this.scheduleSave();
    this.textarea.dispatchEvent(new CustomEvent("composer:restored", { bubbles: true }));
    return true;
  }

  // ----- status line -----
  showStatus(kind) {
    if (!this.status) return;
    const text = this.status.dataset[`${kind}Text`];
    if (!text) return;
    let message = text;
    if (kind === "saved") {
      const lang = document.documentElement.lang || undefined;
      const time = new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
      message = `${text} · ${time}`;
    }
    this.status.textContent = message;
    this.status.classList.toggle("is-saved", kind === "saved");
    this.status.classList.toggle("is-error", kind === "error");
    this.status.hidden = false;
  }

  hideStatus() {
    if (this.status) this.status.hidden = true;
  }
}
