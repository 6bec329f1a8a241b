// The chat's outbox: messages typed in this browser that the server has not acknowledged yet,
// kept in localStorage so nothing typed is lost to a dropped connection or a reload. Each
// message carries an id of the browser's own (client_id); the server stores a resend with
// the same id only once, so sending again until acknowledged is always safe.

// The drafts' prefix: logging out on a shared computer forgets these with the drafts.
const PREFIX = "kafedra:draft:";

export function newClientId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  if (window.crypto && typeof window.crypto.getRandomValues === "function") {
    window.crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  }
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Outbox {
  constructor(userId, channelId) {
    this.key = `${PREFIX}${userId || "anon"}:chat-outbox-${channelId}`;
    this.list = this.load();
  }

  load() {
    try {
      const stored = JSON.parse(localStorage.getItem(this.key) || "[]");
      return Array.isArray(stored) ? stored.filter((item) => item && item.client_id) : [];
    } catch {
      return [];  // storage disabled or damaged: keep the outbox in memory only
    }
  }

  save() {
    try {
      if (this.list.length) localStorage.setItem(this.key, JSON.stringify(this.list));
      else localStorage.removeItem(this.key);
    } catch { /* private mode or full storage: the page still holds the messages */ }
  }

  items() { return [...this.list]; }

  get(clientId) { return this.list.find((item) => item.client_id === clientId) || null; }

  add(item) {
    this.list.push(item);
    this.save();
  }

  update(clientId, changes) {
    const item = this.get(clientId);
    if (item) {
      Object.assign(item, changes);
      this.save();
    }
    return item;
  }

  remove(clientId) {
    const before = this.list.length;
    this.list = this.list.filter((item) => item.client_id !== clientId);
    if (this.list.length !== before) this.save();
  }
}

// What is typed but not sent yet, per channel (restored after a reload).
export class ComposerDraft {
  constructor(userId, channelId) {
    this.key = `${PREFIX}${userId || "anon"}:chat-${channelId}`;
  }

  read() {
    try { return localStorage.getItem(this.key) || ""; } catch { return ""; }
  }

  write(text) {
    try {
      if (text.trim()) localStorage.setItem(this.key, text);
      else localStorage.removeItem(this.key);
    } catch { /* nothing to do */ }
  }
}
