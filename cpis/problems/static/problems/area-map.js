/* A problem's target area on a small map: the GeoJSON geometry the page
   carries in <script id="problem-area" type="application/json">. */
(function () {
  "use strict";
  var el = document.getElementById("problem-map");
  var data = document.getElementById("problem-area");
  if (!el || !data || typeof L === "undefined") { return; }
  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  map.setView([42.6, 20.9], 8);
  var layer = L.geoJSON(JSON.parse(data.textContent), {
    style: function () { return { color: "#b3261e", weight: 2, fillOpacity: 0.15 }; }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 16 }); }
  el.dataset.ready = "true";
}());
