// htmx leaves 4xx answers unswapped; the appeal pages answer 409 (a colleague moved the appeal
// on first) and 400 (a refused step) with a fragment that says why, so those are shown in place.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 409 || status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
