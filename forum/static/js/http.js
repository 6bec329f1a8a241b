// Same-origin fetch helpers: the CSRF header, JSON in and out, and the few URLs the scripts use.

export const urls = {
  preview: "/preview",
  drafts: "/drafts.json",
  draft: (key) => `/drafts/${encodeURIComponent(key)}.json`,
  postJSON: (id) => `/posts/${encodeURIComponent(id)}.json`,
  postFragment: (id) => `/posts/${encodeURIComponent(id)}/fragment`,
};

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export class HttpError extends Error {
  constructor(response) {
    super(`HTTP ${response.status} for ${response.url}`);
    this.status = response.status;
  }
}

// fetch() that rejects on HTTP errors too, and always sends the CSRF token on writes.
export async function request(url, { method = "GET", json, signal, keepalive, accept } = {}) {
  const headers = { Accept: accept || "application/json" };
  if (method !== "GET" && method !== "HEAD") headers["X-CSRFToken"] = csrfToken();
  if (json !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
    credentials: "same-origin",
    signal,
    keepalive,
  });
  if (!response.ok) throw new HttpError(response);
  return response;
}

export async function getJSON(url, options) {
  return (await request(url, options)).json();
}

export async function sendJSON(url, json, options = {}) {
  return (await request(url, { method: "POST", ...options, json })).json();
}

export async function getHTML(url, options = {}) {
  return (await request(url, { ...options, accept: "text/html" })).text();
}

// Parse a server-rendered fragment (already sanitised by the server) into its first element.
export function parseFragment(html, selector) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return selector ? template.content.querySelector(selector) : template.content.firstElementChild;
}

export function debounce(fn, wait) {
  let timer = null;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, wait);
  };
  debounced.cancel = () => { clearTimeout(timer); timer = null; };
  debounced.pending = () => timer !== null;
  return debounced;
}
