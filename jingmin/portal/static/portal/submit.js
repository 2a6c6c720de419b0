// The submit page's extras. Everything here is optional: without script the form still works
// (address text alone, the code requested by a full post).
(function () {
  // htmx leaves 4xx answers unswapped; the code request answers 400 (a wrong number) and 429
  // (a limit) with the step that says why, so those are shown in place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // An anonymous appeal carries no name and no phone: fold those fields away while it is ticked.
  function syncAnonymous() {
    var box = document.getElementById("id_anonymous");
    var identity = document.getElementById("identity");
    if (box && identity) identity.hidden = box.checked;
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "id_anonymous") syncAnonymous();
  });
  document.addEventListener("htmx:afterSwap", syncAnonymous);
  syncAnonymous();

  // The map: Leaflet is fetched only when the citizen asks for it (a slow connection pays for
  // it only then). Without a tile server the map is a blank area; a tap still places the pin.
  var box = document.getElementById("map-box");
  if (!box) return;
  box.hidden = false;
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var open = document.getElementById("map-open");
  var here = document.getElementById("map-here");
  var area = document.getElementById("map");
  var help = document.getElementById("map-help");
  var placed = document.getElementById("map-set");
  var map = null;
  var pin = null;

  function load(then) {
    if (window.L) return then();
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.dataset.leafletCss;
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = box.dataset.leafletJs;
    js.onload = then;
    document.head.appendChild(js);
  }

  function put(latlng, zoom) {
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    if (pin) pin.setLatLng(latlng);
    else pin = window.L.circleMarker(latlng, { radius: 11, weight: 3, color: "#b3261e", fillOpacity: 0.6 }).addTo(map);
    if (zoom) map.setView(latlng, zoom);
    placed.hidden = false;
  }

  function start() {
    area.hidden = false;
    help.hidden = false;
    here.hidden = !navigator.geolocation;
    open.hidden = true;
    var tiles = box.dataset.tiles;
    var known = lat.value && lng.value;
    var center = known ? [parseFloat(lat.value), parseFloat(lng.value)] : [35.0, 105.0];
    map = window.L.map(area, { attributionControl: !!tiles }).setView(center, known ? 16 : tiles ? 4 : 10);
    if (tiles) {
      window.L.tileLayer(tiles, { attribution: box.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    }
    if (known) put(window.L.latLng(center[0], center[1]));
    map.on("click", function (event) { put(event.latlng); });
  }

  open.addEventListener("click", function () { load(start); });
  here.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      put(window.L.latLng(position.coords.latitude, position.coords.longitude), 16);
    });
  });
  document.getElementById("map-clear").addEventListener("click", function () {
    lat.value = "";
    lng.value = "";
    if (pin) { pin.remove(); pin = null; }
    placed.hidden = true;
  });
})();
