// One Socket.IO connection to the /live namespace, shared by the features that listen to it.
// The client reconnects by itself (with back-off); listeners on "connect" run after each reconnect.

import { io } from "../vendor/socket.io/socket.io.esm.min.js";

export const LIVE_NAMESPACE = "/live";

let socket = null;

export function liveSocket() {
  if (!socket) {
    // Same origin, default transports (long-polling first, then WebSocket); the Flask
    // session cookie authenticates the connection.
    socket = io(LIVE_NAMESPACE, { withCredentials: true });
    // A page with an open connection cannot enter the back/forward cache: close it when
    // the page is hidden that way, and open it again when the page comes back.
    window.addEventListener("pagehide", (event) => { if (event.persisted) socket.disconnect(); });
    window.addEventListener("pageshow", (event) => { if (event.persisted) socket.connect(); });
  }
  return socket;
}

// Run fn now if connected, and again after every (re)connection.
export function onConnect(fn) {
  const s = liveSocket();
  s.on("connect", fn);
  if (s.connected) fn();
}

// Emit with an acknowledgement, as a promise (rejects after `timeout` ms without an answer).
export function emitWithAck(event, payload, timeout = 10000) {
  return liveSocket().timeout(timeout).emitWithAck(event, payload);
}
