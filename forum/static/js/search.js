// Instant suggestions under the header search box. Without this the box is a plain GET form
// to /search, so the search works with JavaScript off.

const DELAY_MS = 250;
const MIN_LENGTH = 2;

function option(list, href, title, detail, html) {
  const link = document.createElement("a");
  link.href = href;
  link.className = "search-suggestion";
  link.setAttribute("role", "option");
  link.id = `search-suggestion-${list.children.length}`;
  const strong = document.createElement("strong");
  strong.textContent = title;
  link.append(strong);
  if (detail) {
    const small = document.createElement("span");
    small.className = "search-suggestion-detail";
    // blurb_html is escaped by the server; it carries only <mark> elements of its own.
    if (html) small.innerHTML = detail; else small.textContent = detail;
    link.append(small);
  }
  list.append(link);
}

function render(form, box, list, data, term) {
  list.replaceChildren();
  const topics = new Map((data.topics || []).map((t) => [t.id, t]));
  for (const post of data.posts || []) {
    const topic = topics.get(post.topic_id);
    option(list, post.url, topic ? topic.title : `#${post.post_number}`, post.blurb_html, true);
  }
  for (const message of data.chat_messages || []) {
    option(list, message.url, message.title || message.context, message.blurb_html, true);
  }
  for (const key of Object.keys(data)) {
    if (key.endsWith("s") && Array.isArray(data[key]) && data[key].length
        && !["posts", "topics", "users", "categories", "tags", "groups", "chat_messages"].includes(key)) {
      for (const item of data[key]) option(list, item.url, item.title, item.blurb_html, true);
    }
  }
  for (const user of data.users || []) {
    option(list, user.url, `@${user.username}`, user.name, false);
  }
  for (const category of data.categories || []) {
    option(list, category.url, category.name, "", false);
  }
  if (!list.children.length) {
    const empty = document.createElement("p");
    empty.className = "search-suggestion-empty";
    empty.textContent = box.dataset.emptyLabel;
    list.append(empty);
  }
  const more = `${form.action}?q=${encodeURIComponent(term)}`;
  option(list, more, box.dataset.moreLabel.replace("{q}", term), "", false);
}

function initBox(form) {
  const box = form.querySelector("input[type=search]");
  const list = form.querySelector(".search-suggestions");
  let timer = null;
  let controller = null;
  let active = -1;

  const close = () => {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const choose = (index) => {
    const items = [...list.querySelectorAll("[role=option]")];
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach((item, i) => item.classList.toggle("is-active", i === active));
    box.setAttribute("aria-activedescendant", items[active].id);
  };
  const fetchSuggestions = async () => {
    const term = box.value;
    if (term.trim().length < MIN_LENGTH) { close(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    const url = `${box.dataset.suggestUrl}?term=${encodeURIComponent(term)}`;
    try {
      const response = await fetch(url, { signal: controller.signal,
                                          headers: { Accept: "application/json" } });
      if (!response.ok) { close(); return; }
      const data = await response.json();
      if (box.value !== term) return;  // the member typed on meanwhile
      render(form, box, list, data, term.trim());
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      active = -1;
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  };

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DELAY_MS);
  });
  box.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); choose(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); choose(active - 1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      list.querySelectorAll("[role=option]")[active].click();
    }
  });
  document.addEventListener("click", (event) => {
    if (!form.contains(event.target)) close();
  });
}

export function initSearch() {
  for (const form of document.querySelectorAll("[data-search-box]")) initBox(form);
}
