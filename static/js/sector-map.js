/* Sector map: draws sector boundaries from the API and, on the finder page,
   asks the server which sector covers a clicked point. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }

  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  map.setView([42.6, 20.9], 8);

  var focus = el.dataset.focus;
  var selectedLayer = null;
  var style = { color: "#1d4f91", weight: 1, fillOpacity: 0.08 };
  var selectedStyle = { color: "#b3261e", weight: 3, fillOpacity: 0.2 };
  var layers = {};

  fetch(el.dataset.sectorsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function () { return style; },
        onEachFeature: function (feature, featureLayer) {
          layers[feature.id] = featureLayer;
          // Names are data: set as text, never parsed as HTML.
          var label = document.createElement("span");
          label.textContent = feature.properties.name;
          featureLayer.bindTooltip(label, { sticky: true });
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds); }
      if (focus && layers[focus]) { select(focus); }
      el.dataset.ready = "true";
    });

  function select(sectorId) {
    if (selectedLayer) { selectedLayer.setStyle(style); }
    selectedLayer = layers[sectorId] || null;
    if (selectedLayer) { selectedLayer.setStyle(selectedStyle); selectedLayer.bringToFront(); }
  }

  var marker = null;
  function mark(lat, lon) {
    if (marker) { marker.setLatLng([lat, lon]); } else { marker = L.circleMarker([lat, lon], { radius: 7, color: "#b3261e" }).addTo(map); }
  }

  var locateUrl = el.dataset.locateUrl;
  if (locateUrl) {
    map.on("click", function (event) {
      var lat = event.latlng.lat.toFixed(6);
      var lon = event.latlng.lng.toFixed(6);
      mark(lat, lon);
      htmx.ajax("GET", locateUrl + "?lat=" + lat + "&lon=" + lon, { target: "#team", swap: "innerHTML" });
    });
    document.body.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-lat]");
      if (link) { mark(link.dataset.lat, link.dataset.lon); map.setView([link.dataset.lat, link.dataset.lon], 12); }
    });
    document.body.addEventListener("htmx:afterSwap", function () {
      var result = document.querySelector("#team [data-sector-id]");
      if (result) { select(result.dataset.sectorId); }
    });
  }
}());
