// The visit pages: rows of news and follow-ups added on the phone, the follow-up's own fields by
// its kind, the device's position on request, one submission per tap, and the coverage map.
(function () {
  "use strict";

  // Add a row to a Django formset: the empty form's template with the next index.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    var prefix = button.getAttribute("data-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.querySelector('template[data-row-template="' + prefix + '"]');
    var list = document.querySelector('[data-rows="' + prefix + '"]');
    if (!total || !template || !list) return;
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    list.appendChild(row);
    total.value = String(index + 1);
    showFollowUpFields(row);
    var first = row.querySelector("select, input, textarea");
    if (first) first.focus();
  });

  // A task asks for its day; an appeal for its type, category and the citizen.
  function showFollowUpFields(scope) {
    (scope.matches && scope.matches("[data-follow-up]") ? [scope] : scope.querySelectorAll("[data-follow-up]")).forEach(function (row) {
      var kind = row.querySelector('select[name$="-kind"]');
      var value = kind ? kind.value : "";
      row.querySelectorAll("[data-when-kind]").forEach(function (part) {
        var errors = part.querySelector(".error");
        part.hidden = !errors && part.getAttribute("data-when-kind") !== value;
      });
    });
  }
  document.addEventListener("change", function (event) {
    var row = event.target.closest("[data-follow-up]");
    if (row && event.target.name && /-kind$/.test(event.target.name)) showFollowUpFields(row);
  });
  showFollowUpFields(document);

  // The position the device gives, only when asked; the visit is recorded without one too.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (!button) return;
    var status = document.getElementById("locate-status");
    function say(text) { if (status) status.textContent = text; }
    if (!navigator.geolocation) { say(button.getAttribute("data-unsupported")); return; }
    say(button.getAttribute("data-locating"));
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var c = position.coords;
        document.getElementById("id_latitude").value = c.latitude.toFixed(6);
        document.getElementById("id_longitude").value = c.longitude.toFixed(6);
        document.getElementById("id_accuracy").value = String(Math.round(c.accuracy));
        say(button.getAttribute("data-located") + ": " + c.latitude.toFixed(5) + ", " + c.longitude.toFixed(5) + " (± " + Math.round(c.accuracy) + " m)");
        button.disabled = false;
      },
      function () { say(button.getAttribute("data-failed")); button.disabled = false; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });

  // A second tap while the first is on its way sends nothing (the server would also answer the
  // same visit for the same form key).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-submit-once")) return;
    if (form.getAttribute("data-sent") === "1") { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
  });

  // The coverage map: district outlines and household points, on tiles only when configured.
  function drawMap(box) {
    if (!window.L) return;
    var tiles = box.getAttribute("data-tiles");
    var map = L.map(box, { preferCanvas: true, zoomControl: true, attributionControl: !!tiles });
    if (tiles) {
      L.tileLayer(tiles, { attribution: box.getAttribute("data-attribution") || "", maxZoom: 19 }).addTo(map);
    } else {
      box.classList.add("no-tiles");
    }
    fetch(box.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var bounds = L.latLngBounds([]);
        var outlines = L.geoJSON(data.outlines, {
          style: function (feature) {
            var p = feature.properties.percent;
            return { color: "#1f4e9c", weight: 2, fillColor: p === null ? "#999" : p >= 80 ? "#1e7b3a" : p >= 50 ? "#9a5b00" : "#b3261e", fillOpacity: data.places.length ? 0.05 : 0.25 };
          },
          onEachFeature: function (feature, layer) {
            var p = feature.properties;
            layer.bindTooltip(p.name + (p.percent === null ? "" : " " + p.percent + "%"), { sticky: true });
            if (data.unit.kind !== "district") {
              layer.on("click", function () { window.location.search = "?unit=" + p.id; });
            }
          }
        });
        if (data.outlines.features.length) bounds.extend(outlines.getBounds());
        // Households of one building share its position, and the server sends them as one place:
        // [lat, lng, households, covered, [[id, address], ...not yet visited]]. One marker per place,
        // green when all are visited within the plan, red when none, amber when some; its popup
        // lists those not yet visited, each with the link to record a visit.
        var markers = [];
        var households = 0;
        var next = box.getAttribute("data-next");
        data.places.forEach(function (place) {
          var total = place[2];
          var covered = place[3];
          households += total;
          var colour = covered === total ? "#1e7b3a" : covered === 0 ? "#b3261e" : "#c77700";
          var marker = L.circleMarker([place[0], place[1]], {
            radius: Math.min(6 + Math.sqrt(total) * 1.5, 16), weight: 1, color: "#fff", fillOpacity: 0.9, fillColor: colour
          });
          marker.bindPopup(function () { return placePopup(box, data, place, next); });
          markers.push(marker);
          bounds.extend([place[0], place[1]]);
        });
        box.setAttribute("data-points", String(households));
        box.setAttribute("data-outlines", String(data.outlines.features.length));
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
        } else {
          map.setView([0, 0], 1);
          var empty = document.createElement("p");
          empty.className = "empty map-empty";
          empty.textContent = box.getAttribute("data-empty");
          box.parentNode.insertBefore(empty, box.nextSibling);
        }
        // Vector layers are added once the map has a view: they are projected on adding.
        outlines.addTo(map);
        markers.forEach(function (marker) { marker.addTo(map); });
        box.setAttribute("data-ready", "1");
      });
  }
  function placePopup(box, data, place, next) {
    var html = document.createElement("div");
    html.className = "map-popup";
    var head = document.createElement("strong");
    head.textContent = place[3] + " / " + place[2] + " " + box.getAttribute("data-label-covered");
    html.appendChild(head);
    var list = document.createElement("ul");
    place[4].forEach(function (p) {
      var item = document.createElement("li");
      item.appendChild(document.createTextNode(p[1] + " "));
      if (data.record_url) {
        var link = document.createElement("a");
        link.href = data.record_url + "?household=" + p[0] + (next ? "&next=" + encodeURIComponent(next) : "");
        link.textContent = box.getAttribute("data-label-record");
        item.appendChild(link);
      }
      list.appendChild(item);
    });
    if (list.childNodes.length) html.appendChild(list);
    return html;
  }
  document.querySelectorAll("#coverage-map").forEach(drawMap);
})();
