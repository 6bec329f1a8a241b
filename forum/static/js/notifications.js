// The notification bell: the server pushes {"unread": n} to the member's room on /live after
// each new notification (and after marking read), and the count in the header follows.

import { liveSocket } from "./realtime.js";

export function initBell() {
  const count = document.querySelector("[data-notification-bell] [data-unread-count]");
  if (!count) return;
  liveSocket().on("notification", (data) => {
    const unread = Number(data && data.unread);
    if (!Number.isInteger(unread) || unread < 0) return;
    count.textContent = String(unread);
    count.hidden = unread === 0;
  });
}
