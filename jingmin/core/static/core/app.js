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
// Ask before an irreversible administrator action.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
