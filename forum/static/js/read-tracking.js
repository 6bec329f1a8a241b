// Read tracking (Discourse's POST /topics/timings): while a signed-in member reads a topic,
// measure how long each post is on screen and report it about once a minute, and when the
// page is left. Only time with the tab visible and the reader recently active counts; the
// server caps and validates every report anyway.

import { request } from "./http.js";

const REPORT_EVERY_MS = 60_000;
const IDLE_AFTER_MS = 3 * 60_000; // no scroll, key or pointer for this long: not reading
const TICK_MS = 1_000;

export function initReadTracking(root = document) {
  const head = root.querySelector(".topic-head[data-topic-id]");
  const stream = root.getElementById ? root.getElementById("post-stream") : null;
  if (!head || !stream || !root.querySelector('meta[name="csrf-token"]')) return;
  const topicId = Number(head.dataset.topicId);
  const onScreen = new Set();
  let timings = {};
  let topicTime = 0;
  let lastActive = Date.now();

  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const number = Number(entry.target.dataset.postNumber);
      if (entry.isIntersecting) onScreen.add(number);
      else onScreen.delete(number);
    }
  }, { threshold: 0.5 });
  const watch = (node) => {
    if (node.matches && node.matches("article.post[data-post-number]")) observer.observe(node);
  };
  stream.querySelectorAll("article.post[data-post-number]").forEach(watch);
  // Live replies are appended to the stream: read them too.
  new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach(watch)))
    .observe(stream, { childList: true });

  for (const kind of ["scroll", "keydown", "pointermove", "pointerdown", "touchstart"]) {
    window.addEventListener(kind, () => { lastActive = Date.now(); }, { passive: true });
  }

  setInterval(() => {
    if (document.visibilityState !== "visible" || Date.now() - lastActive > IDLE_AFTER_MS) return;
    topicTime += TICK_MS;
    for (const number of onScreen) timings[number] = (timings[number] || 0) + TICK_MS;
  }, TICK_MS);

  const report = (keepalive = false) => {
    if (!Object.keys(timings).length && topicTime === 0) return;
    const json = { topic_id: topicId, topic_time: topicTime, timings };
    timings = {};
    topicTime = 0;
    request("/topics/timings", { method: "POST", json, keepalive }).catch(() => {});
  };
  setInterval(() => report(), REPORT_EVERY_MS);
  window.addEventListener("pagehide", () => report(true));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") report(true);
  });
}

// Loaded by the topic page for signed-in readers only (a module, so after the DOM is parsed).
try {
  initReadTracking();
} catch (error) {
  console.warn("[kafedra] read tracking:", error);
}
