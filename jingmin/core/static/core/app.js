// Large-text, high-contrast mode (适老化), one tap away on every page and remembered.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-toggle-large]");
  if (!button) return;
  var on = document.documentElement.classList.toggle("large");
  button.setAttribute("aria-pressed", on ? "true" : "false");
  try { localStorage.setItem("jm-large", on ? "1" : "0"); } catch (e) { /* not remembered */ }
});
document.querySelectorAll("[data-toggle-large]").forEach(function (b) {
  b.setAttribute("aria-pressed", document.documentElement.classList.contains("large") ? "true" : "false");
});
// A print button (no inline handler under the Content-Security-Policy).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
// Ask before an irreversible administrator action.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
// The main menu folds under one button on a phone, so that the page's own content comes first;
// on a wider screen it is always open.
(function () {
  var wide = window.matchMedia("(min-width: 720px)");
  function fold() {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (d) { d.open = wide.matches; });
  }
  fold();
  wide.addEventListener("change", fold);
})();
