// Likes on a topic page: the like button works in place (the form still posts without
// JavaScript), the count opens who liked, and counts change live as others like.

import { csrfToken, getHTML, parseFragment } from "./http.js";

// Loaded with the page (it is small), so a click never beats it to the form.
export function initLikes() {
  if (!document.querySelector("[data-likes]")) return;
  // Delegated, so posts that arrive live work too.
  document.addEventListener("submit", onSubmit);
  document.addEventListener("click", onCountClick);
}

// The Socket.IO client is loaded only where live updates are shown (see app.js).
export async function initLiveLikes() {
  const { liveSocket } = await import("./realtime.js");
  liveSocket().on("post_likes", (data) => {
    if (data && Number.isInteger(data.post_id)) setCount(data.post_id, data.like_count);
  });
}

function likesOf(postId) {
  return document.querySelector(`[data-likes][data-post-id="${CSS.escape(String(postId))}"]`);
}

function setCount(postId, count) {
  const box = likesOf(postId);
  const link = box && box.querySelector("[data-likers]");
  if (!link || !Number.isInteger(count)) return;
  link.querySelector("[data-like-count]").textContent = String(count);
  link.hidden = count <= 0;
  const open = box.closest("article")?.querySelector("[data-likers-list]");
  if (open) open.remove();  // stale now; the next click fetches it again
}

async function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-like-form")) return;
  event.preventDefault();
  const button = form.querySelector("button");
  const box = form.closest("[data-likes]");
  const error = box.querySelector("[data-like-error]");
  error.textContent = "";
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      error.textContent = (data.errors && data.errors[0]) || response.statusText;
      return;
    }
    showLiked(form, button, data.liked);
    setCount(data.post_id, data.like_count);
  } catch (failure) {
    form.submit();  // the network or the script failed: let the plain form do it
  } finally {
    button.disabled = false;
  }
}

function showLiked(form, button, liked) {
  button.setAttribute("aria-pressed", liked ? "true" : "false");
  button.title = liked ? button.dataset.titleLiked : button.dataset.titleUnliked;
  form.action = liked ? form.dataset.unlikeUrl : form.dataset.likeUrl;
}

async function onCountClick(event) {
  const link = event.target.closest("a[data-likers]");
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const box = link.closest("[data-likes]");
  const article = box && box.closest("article");
  if (!article) return;
  event.preventDefault();
  const open = article.querySelector("[data-likers-list]");
  if (open) {
    open.remove();
    link.setAttribute("aria-expanded", "false");
    return;
  }
  try {
    const list = parseFragment(await getHTML(`${link.pathname}/fragment`), "[data-likers-list]");
    if (!list) throw new Error("no list in the fragment");
    article.querySelector("footer.post-actions").after(list);
    link.setAttribute("aria-expanded", "true");
  } catch (failure) {
    window.location.assign(link.href);
  }
}
