/* Report form: click the map to set the place; fills the hidden lat/lon. */
(function () {
  "use strict";
  var el = document.getElementById("pick-map");
  if (!el || typeof L === "undefined") { return; }
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var map = L.map(el, { scrollWheelZoom: false }).setView([42.6, 20.9], 8);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  fetch(el.dataset.sectorsUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, { style: function () { return { color: "#1d4f91", weight: 1, fillOpacity: 0.04 }; } }).addTo(map);
      if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
      el.dataset.ready = "true";
    });
  var marker = null;
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.circleMarker(latlng, { radius: 8, color: "#b3261e" }).addTo(map); }
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    var status = document.getElementById("pick-status");
    if (status) { status.textContent = status.dataset.done; }
  }
  if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
  map.on("click", function (event) { place(event.latlng); });
}());
