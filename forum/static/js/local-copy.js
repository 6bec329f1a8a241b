// The composer's copy of unsent text in this browser (localStorage), so nothing is lost offline.
// One entry per user and draft key; entries expire, and all are removed on logout.

const PREFIX = "kafedra:draft:";
const MAX_AGE = 14 * 24 * 3600 * 1000;

export class LocalCopy {
  constructor(userId, draftKey) {
    this.key = `${PREFIX}${userId || "anon"}:${draftKey}`;
  }

  // {data, base, time} or null; `base` is the text the server had when the copy was made.
  read() {
    try {
      const copy = JSON.parse(localStorage.getItem(this.key) || "null");
      if (!copy || typeof copy.data !== "object" || typeof copy.data.raw !== "string") return null;
      if (Date.now() - (copy.time || 0) > MAX_AGE) {
        this.remove();
        return null;
      }
      return copy;
    } catch {
      return null;
    }
  }

  write(data, base) {
    try {
      localStorage.setItem(this.key, JSON.stringify({ data, base, time: Date.now() }));
    } catch { /* private mode or full storage: the server draft still works */ }
  }

  remove() {
    try { localStorage.removeItem(this.key); } catch { /* nothing stored */ }
  }
}

// Remove every copy (on logout: the next person at a shared school computer must not see it).
export function forgetAllLocalCopies() {
  try {
    for (let i = localStorage.length - 1; i >= 0; i -= 1) {
      const key = localStorage.key(i);
      if (key && key.startsWith(PREFIX)) localStorage.removeItem(key);
    }
  } catch { /* storage unavailable: nothing stored either */ }
}
