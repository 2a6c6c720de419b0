// Applied before the page paints, so that large text does not flash in after load.
(function () {
  try {
    if (localStorage.getItem("jm-large") === "1") document.documentElement.classList.add("large");
  } catch (e) { /* storage may be off: the default size stays */ }
})();
