// Topic page actions: "Reply" and "Quote" fill the reply form on the same page (the links still
// lead to the full-page composer without JavaScript), and forms with data-confirm ask first.

import { urls, getJSON } from "./http.js";

const NUMBER_SLOT = "987654321";  // the template renders this number; we put the real one in

export function initPosts() {
  document.addEventListener("submit", confirmSubmit, true);
  const form = document.getElementById("reply");
  if (!form || !form.querySelector("textarea[data-composer]")) return;
  // Delegated, so posts that arrive live work too.
  document.addEventListener("click", (event) => onActionClick(event, form));
  const cancel = form.querySelector("[data-action=clear-reply-to]");
  if (cancel) cancel.addEventListener("click", () => setReplyTo(form, null, { focus: true }));
  const field = replyToField(form);
  if (field && field.value) setReplyTo(form, field.value, { silent: true });
  // A restored draft may carry the post it answered.
  form.addEventListener("composer:restored", () => {
    const restored = replyToField(form);
    if (restored && restored.value) setReplyTo(form, restored.value, { silent: true });
  });
}

function confirmSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}

function isPlainClick(event) {
  return event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
}

function onActionClick(event, form) {
  const link = event.target.closest("a[data-action]");
  if (!link || !isPlainClick(event)) return;
  const action = link.dataset.action;
  if (action !== "reply" && action !== "quote") return;
  const article = link.closest("article[data-post-number]");
  if (!article) return;
  event.preventDefault();
  if (action === "reply") {
    setReplyTo(form, article.dataset.postNumber);
    focusComposer(form);
  } else {
    quote(link, article, form);
  }
}

function replyToField(form) {
  const field = form.elements.namedItem("reply_to_post_number");
  return field instanceof HTMLInputElement ? field : null;
}

function composerTextarea(form) {
  return form.querySelector("textarea[data-composer]");
}

// Set (or clear, with null) the post being answered, and say so next to the form.
function setReplyTo(form, postNumber, { silent = false, focus = false } = {}) {
  const field = replyToField(form);
  if (field) {
    const value = postNumber ? String(postNumber) : "";
    const changed = field.value !== value;
    field.value = value;
    if (changed && !silent) field.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const indicator = form.querySelector(".reply-to-indicator");
  if (indicator) {
    const text = indicator.querySelector(".reply-to-text") || indicator;
    const template = indicator.dataset.template || "#" + NUMBER_SLOT;
    if (postNumber) text.textContent = template.replace(NUMBER_SLOT, String(postNumber));
    indicator.hidden = !postNumber;
  }
  if (focus) focusComposer(form);
}

function focusComposer(form) {
  const textarea = composerTextarea(form);
  const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  form.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
  if (textarea) textarea.focus({ preventScroll: true });
}

// Insert text at the cursor, on its own paragraph, and let the composer know.
function insertBlock(textarea, block) {
  const { value } = textarea;
  const start = textarea.selectionStart ?? value.length;
  const end = textarea.selectionEnd ?? value.length;
  const before = value.slice(0, start);
  const after = value.slice(end);
  const lead = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
  const tail = after.startsWith("\n") ? "\n" : "\n\n";
  textarea.setRangeText(lead + block + tail, start, end, "end");
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

function selectedTextIn(element) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !element) return "";
  if (!element.contains(selection.anchorNode) || !element.contains(selection.focusNode)) return "";
  return selection.toString().trim();
}

function authorOf(article) {
  const link = article.querySelector(".post-author a.user-link[href]");
  if (!link) return "";
  const path = new URL(link.href, window.location.href).pathname;
  return decodeURIComponent(path.split("/").filter(Boolean).pop() || "");
}

async function quote(link, article, form) {
  const textarea = composerTextarea(form);
  const topicHead = document.querySelector(".topic-head[data-topic-id]");
  const postNumber = article.dataset.postNumber;
  let raw = selectedTextIn(article.querySelector(".post-body"));
  let username = authorOf(article);
  let topicId = topicHead ? topicHead.dataset.topicId : "";
  if (!raw) {
    link.setAttribute("aria-busy", "true");
    try {
      const post = await getJSON(urls.postJSON(article.dataset.postId));
      if (typeof post.raw !== "string") throw new Error("no raw text in the post JSON");
      raw = post.raw;
      username = post.username || username;
      topicId = post.topic_id || topicId;
    } catch (error) {
      // The full-page composer quotes on the server: go there instead.
      window.location.assign(link.href);
      return;
    } finally {
      link.removeAttribute("aria-busy");
    }
  }
  const name = (username || "anon").replace(/"/g, "");
  const body = raw.replace(/^[\r\n]+|[\r\n\s]+$/g, "");
  insertBlock(textarea, `[quote="${name}, post:${postNumber}, topic:${topicId}"]\n${body}\n[/quote]`);
  setReplyTo(form, postNumber);
  focusComposer(form);
}
