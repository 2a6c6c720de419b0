// One tap applies a suggestion: the field takes the suggested value as if the clerk had chosen it
// (a change event, so that anything listening to the field hears of it). The clerk can still
// choose another value afterwards; what is registered is what the field holds.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-apply-field]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-apply-field"));
  if (!field) return;
  field.value = button.getAttribute("data-apply-value");
  field.dispatchEvent(new Event("change", { bubbles: true }));
  button.setAttribute("aria-pressed", "true");
  button.textContent = button.getAttribute("data-applied-label");
});
