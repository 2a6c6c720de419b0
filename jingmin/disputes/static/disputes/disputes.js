// The dispute form: find a party in the ledger and fill the first empty party row with them.
(function () {
  "use strict";
  var input = document.getElementById("party-q");
  var box = document.getElementById("party-candidates");
  if (!input || !box) { return; }
  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var q = input.value.trim();
      if (!q) { box.textContent = ""; return; }
      fetch(input.dataset.searchUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) { box.innerHTML = html; });
    }, 300);
  });
  box.addEventListener("click", function (event) {
    var button = event.target.closest(".pick-party");
    if (!button) { return; }
    var rows = document.querySelectorAll(".party-row");
    for (var i = 0; i < rows.length; i++) {
      var person = rows[i].querySelector("input[name$='-person']");
      var name = rows[i].querySelector("input[name$='-name']");
      if (person && !person.value && name && !name.value) {
        person.value = button.dataset.person;
        name.value = button.dataset.name;
        name.readOnly = true;
        box.textContent = "";
        input.value = "";
        return;
      }
    }
  });
})();
