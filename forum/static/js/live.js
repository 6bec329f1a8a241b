// Live posts on a topic page: new replies appear at the end (on the last page) or behind a
// "new replies" button; edited posts are replaced in place. The HTML comes from the server's
// own partial (/posts/<id>/fragment), so a live post looks exactly like a loaded one.

import { getHTML, parseFragment, urls } from "./http.js";
import { liveSocket, onConnect, emitWithAck } from "./realtime.js";

export function initLive() {
  const head = document.querySelector(".topic-head[data-topic-id]");
  const stream = document.getElementById("post-stream");
  const topicId = Number(head && head.dataset.topicId);
  if (!stream || !Number.isInteger(topicId) || topicId <= 0) return;

  const live = new LiveTopic(topicId, stream);
  const socket = liveSocket();
  onConnect(() => live.watch());
  socket.on("post_created", (data) => live.enqueue(() => live.onCreated(data)));
  socket.on("post_updated", (data) => live.enqueue(() => live.onUpdated(data)));
}

class LiveTopic {
  constructor(topicId, stream) {
    this.topicId = topicId;
    this.stream = stream;
    this.queue = Promise.resolve();
    this.notice = document.querySelector(".new-posts-notice");
    this.newestUnseen = 0;
    if (this.notice) {
      const button = this.notice.querySelector("button");
      if (button) button.addEventListener("click", () => this.showNewest());
    }
  }

  async watch() {
    try {
      const ack = await emitWithAck("watch_topic", { topic_id: this.topicId });
      if (!ack || !ack.ok) console.info("[kafedra] live updates refused:", ack && ack.message);
    } catch (error) {
      console.info("[kafedra] live updates: no answer to watch_topic");
    }
  }

  // Events are handled one after another, so posts arrive in order.
  enqueue(task) {
    this.queue = this.queue.then(task).catch((error) => {
      console.info("[kafedra] live update skipped:", error.message);
    });
  }

  article(postId) {
    return this.stream.querySelector(`article[data-post-id="${CSS.escape(String(postId))}"]`);
  }

  isOnLastPage() {
    const pager = this.stream.parentElement.querySelector("nav.pager");
    const current = pager && pager.querySelector('[aria-current="page"]');
    return !current || !current.nextElementSibling;
  }

  async fetchPost(postId) {
    const html = await getHTML(urls.postFragment(postId));
    const article = parseFragment(html, "article.post");
    if (!article) throw new Error(`no post in the fragment for ${postId}`);
    return article;
  }

  async onCreated(data) {
    if (!data || Number(data.topic_id) !== this.topicId || this.article(data.post_id)) return;
    if (!this.isOnLastPage()) {
      this.newestUnseen = Math.max(this.newestUnseen, Number(data.post_number) || 0);
      if (this.notice) this.notice.hidden = false;
      return;
    }
    const article = await this.fetchPost(data.post_id);
    if (this.article(data.post_id)) return;  // arrived twice (e.g. after a reconnect)
    const number = Number(article.dataset.postNumber);
    const later = [...this.stream.querySelectorAll("article[data-post-number]")]
      .find((el) => Number(el.dataset.postNumber) > number);
    article.classList.add("is-new");
    this.stream.insertBefore(article, later || null);
  }

  async onUpdated(data) {
    if (!data || Number(data.topic_id) !== this.topicId) return;
    const old = this.article(data.post_id);
    if (!old) return;
    const article = await this.fetchPost(data.post_id);
    const current = this.article(data.post_id);
    // Do not pull a button from under someone who is using it; the next load shows the edit.
    if (!current || current.contains(document.activeElement)) return;
    current.replaceWith(article);
  }

  // Go to the newest reply (the server finds its page from the post number).
  showNewest() {
    const link = this.stream.querySelector("a.post-number[href]");
    if (!link || !this.newestUnseen) {
      window.location.reload();
      return;
    }
    const url = new URL(link.href, window.location.href);
    url.pathname = url.pathname.replace(/\/\d+\/?$/, `/${this.newestUnseen}`);
    url.hash = `post_${this.newestUnseen}`;
    window.location.assign(url.href);
  }
}
