// The portfolio's "Print" button: the browser's print dialog, with print.css applied.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
