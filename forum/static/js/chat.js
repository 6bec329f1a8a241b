// The live channel page. Without this script the page works as plain HTML (history, a POST
// form, links and buttons); with it, the page talks to the /chat Socket.IO namespace:
// messages arrive live and merge by id, sending goes through an outbox that resends until the
// server acknowledges, history loads on scrolling up, and reply, edit, delete, restore and
// react use socket events. Messages are built from the <template> the server rendered with
// the same partial as the page (chat/_message.html); the only HTML inserted is the server's
// cooked message text, everything else is set as text.

import { io } from "../vendor/socket.io/socket.io.esm.min.js";
import { ComposerDraft, Outbox, newClientId } from "./chat-outbox.js";

export const CHAT_NAMESPACE = "/chat";
const ACK_TIMEOUT = 10000;
const RETRY_DELAY = 4000;
const TYPING_EVERY = 3000;  // the server broadcasts at most one "typing" per 3 s anyway
const TYPING_SHOWN_FOR = 5000;
const READ_EVERY = 2000;
const NEAR_BOTTOM = 80;
const MIN_BOX_HEIGHT = 288;  // px: about six short messages  // px: closer than this to the end counts as "reading the newest"

export function initChat() {
  const root = document.querySelector("[data-chat-channel]");
  if (!root || !document.getElementById("chat-message-template")) return null;
  const page = new ChatPage(root);
  page.start();
  return page;
}

class ChatPage {
  constructor(root) {
    const data = root.dataset;
    this.root = root;
    this.channelId = Number(data.chatChannel);
    this.viewerId = Number(data.viewerId) || null;
    this.viewer = { id: this.viewerId, name: data.viewerName, username: data.viewerUsername };
    this.isModerator = data.moderator === "1";
    this.mayWrite = data.mayWrite === "1";
    this.canSend = data.maySend === "1";
    this.editWindow = Number(data.editWindow || 0) * 1000;
    this.profileUrl = data.profileUrl || "/u/__user__";
    this.strings = parseStrings(data.strings);
    this.stream = root.querySelector("[data-chat-stream]");
    this.scroller = root.querySelector("[data-chat-scroll]");
    this.proto = document.getElementById("chat-message-template").content.firstElementChild;
    this.reactionProto = this.proto.querySelector(".chat-reaction[data-proto]");
    this.composer = root.querySelector("[data-chat-composer]");
    this.textarea = this.composer && this.composer.querySelector("textarea[name=raw]");
    this.outbox = new Outbox(this.viewerId, this.channelId);
    this.draft = new ComposerDraft(this.viewerId, this.channelId);
    this.times = timeFormats(data.locale, data.timeZone);
    this.replyTo = null;
    this.typers = new Map();
    this.lastTypingSent = 0;
    this.lastReadSent = 0;
    this.flushing = false;
    this.retryTimer = null;
    this.everConnected = false;
    this.loadingOlder = false;
    this.deferred = new Map();  // updates that arrived while the message was being edited
  }

  start() {
    // An older page of history (?before=…) stays a plain page: live messages belong at the end.
    if (this.root.dataset.chatLatest !== "1") return;
    this.root.classList.add("is-live");
    this.showOutbox();
    this.bindComposer();
    this.bindStream();
    this.bindOlder();
    this.fitHeight();
    window.addEventListener("resize", () => this.fitHeight(), { passive: true });
    // Messages that arrived while the tab was hidden count as read once it is seen.
    document.addEventListener("visibilitychange", () => this.markRead());
    this.scrollToStart();
    if (this.phone()) this.root.querySelector(".chat-main").scrollIntoView({ block: "end" });
    this.connect();
  }

  phone() { return window.matchMedia("(max-width: 40rem)").matches; }

  // The history box takes the rest of the screen, so the composer stays in view. On a phone
  // the chat is the page: the box fills the screen once the page is scrolled to it.
  fitHeight() {
    if (!this.scroller) return;
    const main = this.root.querySelector(".chat-main");
    const below = main.getBoundingClientRect().bottom - this.scroller.getBoundingClientRect().bottom;
    const top = this.phone() ? 0 : this.scroller.getBoundingClientRect().top + window.scrollY;
    const height = Math.max(MIN_BOX_HEIGHT, window.innerHeight - top - below - 16);
    this.scroller.style.height = `${Math.round(height)}px`;  // CSSOM: allowed by the CSP
  }

  // --- the connection --------------------------------------------------------------------------

  connect() {
    const socket = this.socket = io(CHAT_NAMESPACE, { withCredentials: true });
    socket.on("connect", () => this.onConnect());
    socket.on("disconnect", () => this.setOffline(true));
    socket.on("connect_error", () => this.setOffline(true));
    socket.on("message", (data) => this.receive(data));
    socket.on("message_updated", (data) => this.receiveUpdate(data));
    socket.on("channel_updated", (data) => { if (data && data.id === this.channelId) this.watch(); });
    socket.on("typing", (data) => this.onTyping(data));
    socket.on("presence", (data) => { if (data && data.channel_id === this.channelId) this.setPresence(data.users); });
    // An open connection keeps a page out of the back/forward cache.
    window.addEventListener("pagehide", (event) => { if (event.persisted) socket.disconnect(); });
    window.addEventListener("pageshow", (event) => { if (event.persisted) socket.connect(); });
  }

  async onConnect() {
    this.everConnected = true;
    this.setOffline(false);
    if (await this.watch()) this.flushOutbox();
  }

  // Join the room and fetch everything after the newest message we have, in order.
  async watch() {
    const ack = await this.emit("watch", { channel_id: this.channelId, after_id: this.lastId() });
    if (!ack.ok) {
      this.showStatus(ack.message);
      return false;
    }
    this.applyAccess(ack.can_send, ack.refusal);
    this.setPresence(ack.presence || []);
    this.mergeAll(ack.messages || []);
    if ((ack.messages || []).length >= 500) await this.catchUp();
    this.markRead();
    return true;
  }

  async catchUp() {
    // watch answers at most 500 messages after after_id; ask until nothing is missing.
    for (let round = 0; round < 20; round += 1) {
      const ack = await this.emit("catch_up", { channel_id: this.channelId, after_id: this.lastId() || 0 });
      if (!ack.ok) return;
      this.mergeAll(ack.messages || []);
      if (ack.complete !== false || !(ack.messages || []).length) return;
    }
  }

  // emitWithAck that never throws: no answer in time is {error: "timeout"}.
  async emit(event, payload) {
    if (!this.socket || !this.socket.connected) return { error: "offline", message: this.strings.offlineQueued };
    try {
      const ack = await this.socket.timeout(ACK_TIMEOUT).emitWithAck(event, payload);
      return ack && typeof ack === "object" ? ack : { error: "invalid", message: "" };
    } catch {
      return { error: "timeout", message: this.strings.noAnswer };
    }
  }

  live() { return Boolean(this.socket && this.socket.connected); }

  setOffline(offline) {
    const banner = this.root.querySelector("[data-chat-connection]");
    if (banner && banner.hidden !== !offline) {
      banner.hidden = !offline;
      this.fitHeight();  // the banner took (or gave back) room above the box
    }
    this.root.classList.toggle("is-offline", offline);
  }

  applyAccess(canSend, refusal) {
    this.canSend = Boolean(canSend);
    const note = this.root.querySelector("[data-chat-refusal-live]");
    if (this.composer) this.composer.hidden = !this.canSend;
    if (note) {
      note.textContent = this.canSend ? "" : (refusal || "");
      note.hidden = this.canSend || !refusal;
    }
  }

  // --- messages in the stream ------------------------------------------------------------------

  messageElements() { return this.stream.querySelectorAll(".chat-message[data-message-id]"); }

  element(id) { return this.stream.querySelector(`.chat-message[data-message-id="${Number(id)}"]`); }

  lastId() {
    const all = this.messageElements();
    return all.length ? Number(all[all.length - 1].dataset.messageId) : null;
  }

  firstId() {
    const first = this.stream.querySelector(".chat-message[data-message-id]");
    return first ? Number(first.dataset.messageId) : null;
  }

  mergeAll(list) {
    const stick = this.isNearBottom();
    for (const data of list) this.merge(data);
    if (list.length && stick) this.scrollToBottom();
  }

  receive(data) {
    if (!data || data.channel_id !== this.channelId) return;
    const stick = this.isNearBottom() || this.isMine(data);
    this.merge(data);
    if (data.user) this.typers.delete(data.user.id);
    this.renderTyping();
    if (stick) this.scrollToBottom();
    this.markRead();
  }

  receiveUpdate(data) {
    if (!data || data.channel_id !== this.channelId || !this.element(data.id)) return;
    this.merge(data);
  }

  // Put a message where its id belongs, replacing the copy we have (by id) and our own
  // pending copy (by client id): nothing shows twice, whatever order events arrive in.
  merge(data) {
    if (!data || typeof data.id !== "number" || data.channel_id !== this.channelId) return;
    if (data.client_id && this.isMine(data)) {
      this.outbox.remove(data.client_id);
      const pending = this.pendingElement(data.client_id);
      if (pending) pending.remove();
    }
    const existing = this.element(data.id);
    if (existing && existing.dataset.editing) {
      this.deferred.set(data.id, data);
      return;
    }
    const fresh = this.render(data);
    if (existing) {
      existing.replaceWith(fresh);
      return;
    }
    this.insertInOrder(fresh, data.id);
    const empty = this.root.querySelector("[data-chat-empty]");
    if (empty) empty.remove();
  }

  insertInOrder(element, id) {
    const all = this.messageElements();
    for (let i = all.length - 1; i >= 0; i -= 1) {
      if (Number(all[i].dataset.messageId) < id) {
        all[i].after(element);
        return;
      }
    }
    const first = all.length ? all[0] : this.stream.querySelector(".chat-message[data-pending]");
    if (first) first.before(element);
    else this.stream.append(element);
  }

  isMine(data) { return Boolean(this.viewerId && data.user && data.user.id === this.viewerId); }

  // --- rendering from the template -------------------------------------------------------------

  render(data) {
    const el = this.proto.cloneNode(true);
    const id = data.id;
    el.id = `message-${id}`;
    el.dataset.messageId = String(id);
    el.dataset.userId = data.user ? String(data.user.id) : "";
    if (data.client_id) el.dataset.clientId = data.client_id;
    el.classList.toggle("is-deleted", Boolean(data.deleted));
    el.classList.toggle("is-own", this.isMine(data));
    this.fillAuthor(el, data.user);
    this.fillTime(el, data.created_at, `#message-${id}`);
    const edited = slot(el, "edited");
    if (edited) {
      edited.hidden = !data.edited_at;
      if (data.edited_at) edited.title = this.times.full(data.edited_at);
    }
    this.fillReply(el, data.reply_to);
    slot(el, "deleted").hidden = !data.deleted;
    const body = slot(el, "body");
    body.hidden = Boolean(data.deleted);
    // The server's cooked Markdown, sanitised by forum.markup.cook: the one HTML we insert.
    body.innerHTML = data.deleted ? "" : String(data.cooked || "");
    this.fillReactions(el, data);
    this.fillControls(el, data);
    for (const target of el.querySelectorAll("form[action], a[href]")) retarget(target, id);
    return el;
  }

  fillAuthor(el, user) {
    const link = slot(el, "author").querySelector("a, span");
    if (!user) {
      const span = document.createElement("span");
      span.className = "user-link deleted";
      span.textContent = this.strings.deletedUser || "";
      link.replaceWith(span);
      return;
    }
    link.textContent = user.name || user.username;
    link.href = this.profileUrl.replace("__user__", encodeURIComponent(user.username));
  }

  fillTime(el, iso, href) {
    const permalink = slot(el, "permalink");
    const time = permalink.querySelector("time");
    permalink.href = href;
    time.dateTime = iso;
    time.textContent = this.times.short(iso);
    time.title = this.times.full(iso);
  }

  fillReply(el, reply) {
    const quote = slot(el, "reply");
    if (!quote) return;
    quote.hidden = !reply;
    if (!reply) return;
    quote.href = `#message-${reply.id}`;
    quote.querySelector(".chat-reply-author").textContent =
      reply.user ? (reply.user.name || reply.user.username) : this.strings.deletedUser;
    quote.querySelector(".chat-reply-excerpt").textContent =
      reply.deleted ? (slot(this.proto, "deleted").textContent || "") : (reply.excerpt || "");
  }

  fillReactions(el, data) {
    const list = slot(el, "reactions");
    list.replaceChildren();
    if (!this.reactionProto) return;
    const canReact = !data.deleted && this.canSend;
    for (const reaction of data.reactions || []) {
      const item = this.reactionProto.cloneNode(true);
      item.hidden = false;
      delete item.dataset.proto;
      item.querySelector(".reaction-emoji").textContent = reaction.emoji;
      item.querySelector(".reaction-count").textContent = String(reaction.count);
      const button = item.querySelector("button");
      if (button) {
        button.value = reaction.emoji;
        button.setAttribute("aria-pressed", String((reaction.user_ids || []).includes(this.viewerId)));
        button.disabled = !canReact;
      }
      list.append(item);
    }
  }

  // Which buttons this reader gets on a live message. The server checks every action again
  // (forum/permissions/chat.py); this only mirrors those rules to choose what to show.
  fillControls(el, data) {
    const own = this.isMine(data);
    const deleted = Boolean(data.deleted);
    const fresh = Date.now() - Date.parse(data.created_at) <= this.editWindow;
    const show = {
      reply: this.canSend && !deleted,
      react: this.canSend && !deleted,
      edit: !deleted && ((this.isModerator && this.mayWrite) || (own && this.canSend && fresh)),
      delete: !deleted && (this.isModerator || (own && this.mayWrite)),
      restore: deleted && this.isModerator,
      flag: this.mayWrite && !deleted && !own,
    };
    for (const [name, visible] of Object.entries(show)) {
      const control = el.querySelector(`.chat-controls > [data-chat-action="${name}"], .chat-controls > [data-chat-control="${name}"]`);
      if (control) control.hidden = !visible;
    }
  }

  // --- our own messages: the outbox -----------------------------------------------------------

  showOutbox() {
    for (const item of this.outbox.items()) {
      // Stored already (the page shows it): the acknowledgement was lost, not the message.
      if (this.stream.querySelector(`.chat-message[data-client-id="${CSS.escape(item.client_id)}"][data-message-id]`)) {
        this.outbox.remove(item.client_id);
      } else {
        this.stream.append(this.renderPending(item));
      }
    }
  }

  pendingElement(clientId) {
    return this.stream.querySelector(`.chat-message[data-pending="${CSS.escape(clientId)}"]`);
  }

  renderPending(item) {
    const el = this.proto.cloneNode(true);
    el.dataset.pending = item.client_id;
    el.dataset.clientId = item.client_id;
    el.classList.add("is-own", "is-pending");
    this.fillAuthor(el, this.viewer.username ? this.viewer : null);
    this.fillTime(el, new Date(item.created || Date.now()).toISOString(), "#chat-composer");
    this.fillReply(el, item.reply || null);
    const body = slot(el, "body");
    const text = document.createElement("p");
    text.className = "chat-pending-text";
    text.textContent = item.raw;  // as typed; the server's cooked copy replaces it
    body.replaceChildren(text);
    for (const control of el.querySelectorAll(".chat-controls > *")) control.hidden = true;
    this.setPendingState(el, item);
    return el;
  }

  setPendingState(el, item) {
    const state = slot(el, "state");
    const actions = slot(el, "pending-actions");
    el.classList.toggle("is-failed", Boolean(item.failed));
    if (state) {
      state.hidden = false;
      state.textContent = item.failed
        ? `${this.strings.notSent}: ${item.error || ""}`
        : (item.note || this.strings.sending);
    }
    if (actions) actions.hidden = !item.failed;
  }

  updatePending(clientId, changes) {
    const item = this.outbox.update(clientId, changes);
    const el = this.pendingElement(clientId);
    if (item && el) this.setPendingState(el, item);
  }

  queue(raw) {
    const item = {
      client_id: newClientId(), raw, created: Date.now(), failed: false, error: null,
      reply_to_id: this.replyTo ? this.replyTo.id : null, reply: this.replyTo,
    };
    this.outbox.add(item);
    this.stream.append(this.renderPending(item));
    this.scrollToBottom();
    if (!this.live()) this.updatePending(item.client_id, { note: this.strings.offlineQueued });
    this.flushOutbox();
  }

  // Send what waits, oldest first, one at a time so the channel keeps the typing order.
  // A message queued while a flush awaits an acknowledgement is not in that flush's list:
  // the flush runs once more when it ends, so a quick second message is never left pending.
  async flushOutbox() {
    if (!this.live()) return;
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    this.flushAgain = false;
    clearTimeout(this.retryTimer);
    let waiting = false;
    try {
      for (const item of this.outbox.items()) {
        if (item.failed || !this.outbox.get(item.client_id)) continue;
        if (!(await this.sendItem(item))) {
          this.retryTimer = setTimeout(() => this.flushOutbox(), RETRY_DELAY);
          waiting = true;
          break;
        }
      }
    } finally {
      this.flushing = false;
    }
    if (this.flushAgain && !waiting) this.flushOutbox();
  }

  // True to go on with the next message, false to wait and retry this one.
  async sendItem(item) {
    const payload = { channel_id: this.channelId, client_id: item.client_id, raw: item.raw };
    if (item.reply_to_id) payload.reply_to_id = item.reply_to_id;
    const ack = await this.emit("send", payload);
    if (ack.ok) {
      this.outbox.remove(item.client_id);
      this.merge(ack.message);
      this.showStatus("");
      this.scrollToBottom();
      this.markRead();
      return true;
    }
    if (["timeout", "offline", "rate_limited"].includes(ack.error)) {
      // Not refused, only not yet: keep it pending and say why.
      this.updatePending(item.client_id, { note: ack.message || this.strings.noAnswer });
      if (ack.error === "rate_limited") this.showStatus(ack.message);
      return false;
    }
    this.updatePending(item.client_id, { failed: true, error: ack.message || "" });
    this.showStatus(ack.message);
    return true;
  }

  onPendingAction(button) {
    const el = button.closest(".chat-message[data-pending]");
    const item = el && this.outbox.get(el.dataset.pending);
    if (!item) return;
    const action = button.dataset.chatAction;
    if (action === "retry") {
      this.updatePending(item.client_id, { failed: false, error: null, note: null });
      this.flushOutbox();
      return;
    }
    if (action === "restore-text" && this.textarea) {
      this.textarea.value = item.raw + (this.textarea.value ? `\n\n${this.textarea.value}` : "");
      this.draft.write(this.textarea.value);
      this.textarea.focus();
    }
    this.outbox.remove(item.client_id);
    el.remove();
  }

  // --- the composer ---------------------------------------------------------------------------

  bindComposer() {
    if (!this.composer || !this.textarea) return;
    if (!this.textarea.value.trim()) this.textarea.value = this.draft.read();
    this.composer.addEventListener("submit", (event) => this.onSubmit(event));
    this.textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.composer.requestSubmit();
      }
    });
    this.textarea.addEventListener("input", () => {
      this.draft.write(this.textarea.value);
      this.sendTyping();
    });
    const replyTo = this.composer.querySelector("input[name=reply_to_id]");
    if (replyTo && replyTo.value) {
      const target = this.element(replyTo.value);
      if (target) this.setReply(target);
    }
  }

  onSubmit(event) {
    // Before the first connection the plain form is the way to send.
    if (!this.everConnected) return;
    event.preventDefault();
    const raw = this.textarea.value;
    if (!raw.trim()) {
      this.textarea.focus();
      return;
    }
    this.queue(raw);
    this.textarea.value = "";
    this.draft.write("");
    this.setReply(null);
    this.textarea.focus();
  }

  setReply(target) {
    const line = this.composer && this.composer.querySelector("[data-chat-replying]");
    const field = this.composer && this.composer.querySelector("input[name=reply_to_id]");
    if (!line) return;
    if (!target) {
      this.replyTo = null;
      line.hidden = true;
      if (field) field.value = "";
      return;
    }
    const author = target.querySelector("[data-slot=author]");
    const body = target.querySelector("[data-slot=body]");
    this.replyTo = {
      id: Number(target.dataset.messageId),
      user: { name: author ? author.textContent.trim() : "" },
      excerpt: body ? body.textContent.trim().slice(0, 120) : "",
    };
    if (field) field.value = String(this.replyTo.id);
    line.querySelector("[data-slot=reply-author]").textContent = this.replyTo.user.name;
    line.querySelector("[data-slot=reply-excerpt]").textContent = this.replyTo.excerpt;
    line.hidden = false;
  }

  sendTyping() {
    const now = Date.now();
    if (!this.live() || now - this.lastTypingSent < TYPING_EVERY || !this.textarea.value.trim()) return;
    this.lastTypingSent = now;
    this.socket.emit("typing", { channel_id: this.channelId }, () => {});
  }

  onTyping(data) {
    if (!data || data.channel_id !== this.channelId || !data.user || data.user.id === this.viewerId) return;
    const id = data.user.id;
    clearTimeout((this.typers.get(id) || {}).timer);
    const timer = setTimeout(() => { this.typers.delete(id); this.renderTyping(); }, TYPING_SHOWN_FOR);
    this.typers.set(id, { name: data.user.name || data.user.username, timer });
    this.renderTyping();
  }

  renderTyping() {
    const line = this.root.querySelector("[data-chat-typing]");
    if (!line) return;
    const names = [...this.typers.values()].map((typer) => typer.name);
    line.textContent = names.length === 0 ? ""
      : names.length === 1 ? this.strings.typingOne.replace("{name}", names[0])
        : this.strings.typingMany;
  }

  setPresence(users) {
    const box = this.root.querySelector("[data-chat-presence]");
    const list = box && box.querySelector("[data-chat-presence-list]");
    if (!list || !Array.isArray(users)) return;
    list.replaceChildren(...users.map((user) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.className = "user-link";
      link.href = this.profileUrl.replace("__user__", encodeURIComponent(user.username));
      link.textContent = user.name || user.username;
      item.append(link);
      return item;
    }));
    box.hidden = users.length === 0;
  }

  // --- actions on messages --------------------------------------------------------------------

  bindStream() {
    this.stream.addEventListener("click", (event) => this.onClick(event));
    this.stream.addEventListener("submit", (event) => this.onActionSubmit(event));
    const cancel = this.composer && this.composer.querySelector("[data-chat-action=cancel-reply]");
    if (cancel) {
      cancel.addEventListener("click", (event) => {
        event.preventDefault();
        this.setReply(null);
      });
    }
  }

  onClick(event) {
    const button = event.target.closest("button[data-chat-action]");
    if (button && button.closest("[data-pending]")) {
      this.onPendingAction(button);
      return;
    }
    const link = event.target.closest("a[data-chat-action]");
    if (!link || !this.live() || event.button !== 0 || event.ctrlKey || event.metaKey) return;
    const message = link.closest(".chat-message[data-message-id]");
    if (link.dataset.chatAction === "reply" && this.composer) {
      event.preventDefault();
      this.setReply(message);
      this.textarea.focus();
    } else if (link.dataset.chatAction === "edit") {
      event.preventDefault();
      this.startEdit(message, link.href);
    }
  }

  async onActionSubmit(event) {
    const form = event.target.closest("form[data-chat-action]");
    const message = form && form.closest(".chat-message[data-message-id]");
    if (!message || !this.live()) return;  // the plain POST does it
    event.preventDefault();
    const id = Number(message.dataset.messageId);
    const action = form.dataset.chatAction;
    const payload = { message_id: id };
    if (action === "react") {
      payload.emoji = event.submitter ? event.submitter.value : "";
      const menu = form.closest("details");
      if (menu) menu.open = false;
    }
    const ack = await this.emit(action, payload);
    if (ack.ok && ack.message) this.merge(ack.message);
    else this.showStatus(`${this.strings.actionFailed} ${ack.message || ""}`);
  }

  // Edit in place: the text to edit comes from the plain edit page (live messages carry only
  // the cooked HTML), read from its textarea, never inserted as markup.
  async startEdit(message, href) {
    let raw;
    try {
      const response = await fetch(href, { headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(String(response.status));
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      raw = doc.querySelector("textarea[name=raw]").value;
    } catch {
      window.location.href = href;
      return;
    }
    message.dataset.editing = "1";
    const body = slot(message, "body");
    const form = editForm(raw, this.strings);
    body.hidden = true;
    body.after(form);
    const textarea = form.querySelector("textarea");
    textarea.focus();
    const finish = () => {
      form.remove();
      body.hidden = false;
      delete message.dataset.editing;
      const later = this.deferred.get(Number(message.dataset.messageId));
      this.deferred.delete(Number(message.dataset.messageId));
      if (later) this.merge(later);
    };
    form.querySelector("[data-cancel]").addEventListener("click", finish);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ack = await this.emit("edit", { message_id: Number(message.dataset.messageId), raw: textarea.value });
      if (!ack.ok) {
        this.showStatus(`${this.strings.actionFailed} ${ack.message || ""}`);
        return;
      }
      this.deferred.set(Number(message.dataset.messageId), ack.message);
      finish();
    });
  }

  // --- history --------------------------------------------------------------------------------

  bindOlder() {
    const older = this.root.querySelector("[data-chat-older]");
    if (!older) return;
    older.addEventListener("click", (event) => {
      if (!this.live()) return;  // the link opens the older page
      event.preventDefault();
      this.loadOlder();
    });
    if ("IntersectionObserver" in window && this.scroller) {
      // Scrolling up to the top loads the page before it, as chats do.
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting) && this.live() && this.startedScrolling) this.loadOlder();
      }, { root: this.scroller, rootMargin: "200px 0px 0px 0px" });
      observer.observe(older);
      this.scroller.addEventListener("scroll", () => { this.startedScrolling = true; }, { once: true, passive: true });
    }
  }

  async loadOlder() {
    const older = this.root.querySelector("[data-chat-older]");
    const before = this.firstId();
    if (this.loadingOlder || !older || !before) return;
    this.loadingOlder = true;
    older.setAttribute("aria-busy", "true");
    try {
      const ack = await this.emit("history", { channel_id: this.channelId, before_id: before });
      if (!ack.ok) {
        this.showStatus(ack.message);
        return;
      }
      const height = this.scroller.scrollHeight;
      for (const data of ack.messages || []) this.merge(data);
      // Keep the reader's place: the page grew above what they were looking at.
      this.scroller.scrollTop += this.scroller.scrollHeight - height;
      const first = this.firstId();
      if (first) older.href = older.href.replace(/([?&]before=)\d+/, `$1${first}`);
      if (!ack.has_more) older.closest(".chat-older").remove();
    } finally {
      older.removeAttribute("aria-busy");
      this.loadingOlder = false;
    }
  }

  // --- reading position and scrolling ---------------------------------------------------------

  isNearBottom() {
    const s = this.scroller;
    return !s || s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM;
  }

  scrollToBottom() {
    if (this.scroller) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  // Open at the message the address names, else where the reader stopped, else the newest;
  // only the history box scrolls, never the page around it.
  scrollToStart() {
    const hash = window.location.hash.slice(1);
    const target = (hash && document.getElementById(hash)) || this.stream.querySelector("[data-chat-marker]");
    if (!this.scroller || !target || !this.stream.contains(target)) {
      this.scrollToBottom();
      return;
    }
    const offset = target.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top;
    this.scroller.scrollTop += offset - (target.dataset.chatMarker === undefined ? this.scroller.clientHeight / 3 : 0);
  }

  markRead() {
    const last = this.lastId();
    const now = Date.now();
    if (!this.viewerId || !last || document.visibilityState === "hidden") return;
    if (now - this.lastReadSent < READ_EVERY) {
      clearTimeout(this.readTimer);
      this.readTimer = setTimeout(() => this.markRead(), READ_EVERY);
      return;
    }
    this.lastReadSent = now;
    this.emit("read", { channel_id: this.channelId, message_id: last });
  }

  showStatus(text) {
    const status = this.root.querySelector("[data-chat-status]");
    if (!status) return;
    status.textContent = text || "";
    status.hidden = !text;
  }
}

// --- small helpers ---------------------------------------------------------------------------

function slot(el, name) { return el.querySelector(`[data-slot="${name}"]`); }

// The template's controls point at message 0; point them at this message.
function retarget(node, id) {
  if (node.tagName === "FORM") node.action = node.getAttribute("action").replace("/m/0/", `/m/${id}/`);
  else if (node.dataset.chatAction) node.href = node.getAttribute("href").replace("/m/0/", `/m/${id}/`).replace("reply_to=0", `reply_to=${id}`);
}

function editForm(raw, strings) {
  const form = document.createElement("form");
  form.className = "chat-edit-form";
  const textarea = document.createElement("textarea");
  textarea.rows = 3;
  textarea.value = raw;
  textarea.setAttribute("aria-label", strings.editLabel || "");
  const save = document.createElement("button");
  save.type = "submit";
  save.className = "button primary";
  save.textContent = strings.save || "Save";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "button";
  cancel.dataset.cancel = "1";
  cancel.textContent = strings.cancel || "Cancel";
  const row = document.createElement("div");
  row.className = "chat-edit-buttons";
  row.append(save, cancel);
  form.append(textarea, row);
  return form;
}

function parseStrings(json) {
  try { return JSON.parse(json || "{}"); } catch { return {}; }
}

function timeFormats(locale, timeZone) {
  const make = (options) => {
    try { return new Intl.DateTimeFormat(locale || undefined, { ...options, timeZone }); } catch {
      return new Intl.DateTimeFormat(locale || undefined, options);
    }
  };
  const short = make({ hour: "2-digit", minute: "2-digit" });
  const full = make({ day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
  const safe = (format) => (iso) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? "" : format.format(date).replace(",", "");
  };
  return { short: safe(short), full: safe(full) };
}
