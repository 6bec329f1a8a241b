// The site banner for guests: their cached page is the same for everyone, so the server
// cannot leave the banner out; the dismissal is remembered in this browser instead.
const KEY = "kafedra:dismissed-banner";

function remembered() {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null; // storage disabled (private mode, strict settings): the banner stays
  }
}

export function initBanner() {
  const banner = document.querySelector(".site-banner[data-banner-id]");
  const button = banner && banner.querySelector("[data-dismiss-banner]");
  if (!button) return; // none, or a member's banner (dismissed by a form post)
  const id = banner.dataset.bannerId;
  if (remembered() === id) {
    banner.hidden = true;
    return;
  }
  button.hidden = false;
  button.addEventListener("click", () => {
    try {
      window.localStorage.setItem(KEY, id);
    } catch {
      // Not remembered, but hidden for this page at least.
    }
    banner.hidden = true;
  });
}
