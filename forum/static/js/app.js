// Entry point (loaded as a module from base.html). Every feature is an enhancement:
// the pages work without any of this, so one feature failing must not stop the others.

import { initComposers, forgetLocalDrafts } from "./composer.js";
import { initPosts } from "./posts.js";
import { initBanner } from "./banner.js";
import { initLikes, initLiveLikes } from "./likes.js";

function safely(name, fn) {
  try {
    const result = fn();
    if (result && typeof result.catch === "function") {
      result.catch((error) => console.warn(`[kafedra] ${name}:`, error));
    }
  } catch (error) {
    console.warn(`[kafedra] ${name}:`, error);
  }
}

// Mark the main-navigation link of the current section, for sighted and screen-reader users.
function markCurrentNav() {
  const path = window.location.pathname;
  for (const link of document.querySelectorAll(".main-nav a[href]")) {
    const target = new URL(link.href, window.location.href).pathname;
    const here = target === path || (target !== "/" && path.startsWith(target + "/"))
      || (path === "/" && target === "/latest");
    if (here) link.setAttribute("aria-current", "page");
  }
}

// On a shared school computer the next person must not find the last one's unsent text.
function clearDraftsOnLogout() {
  for (const form of document.querySelectorAll("form[data-logout]")) {
    form.addEventListener("submit", () => forgetLocalDrafts());
  }
}

// "Back to the form" links: the browser's Back restores the form with the typed text, which
// following the link (a fresh page) would not; the link stays for a page opened directly.
function historyBackLinks() {
  for (const link of document.querySelectorAll("a[data-history-back]")) {
    link.addEventListener("click", (event) => {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  }
}

function start() {
  safely("nav", markCurrentNav);
  safely("logout", clearDraftsOnLogout);
  safely("history back", historyBackLinks);
  safely("composer", initComposers);
  safely("posts", initPosts);
  safely("banner", initBanner);
  safely("likes", initLikes);
  // The Socket.IO client (~40 kB) is only loaded where live updates are shown.
  if (document.querySelector(".topic-head[data-topic-id]")) {
    safely("live", () => import("./live.js").then((live) => live.initLive()));
    safely("live likes", initLiveLikes);
  }
  if (document.querySelector("[data-chat-channel]")) {
    safely("chat", () => import("./chat.js").then((chat) => chat.initChat()));
  }
  if (document.querySelector("[data-search-box]")) {
    safely("search", () => import("./search.js").then((search) => search.initSearch()));
  }
  if (document.querySelector("[data-notification-bell]")) {
    safely("bell", () => import("./notifications.js").then((bell) => bell.initBell()));
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
