/* Public reports map: the reports of the list at their approximate places
   (the centres of 200 m squares, from the page's embedded GeoJSON). */
(function () {
  "use strict";
  var el = document.getElementById("reports-map");
  var source = document.getElementById("reports-data");
  if (!el || !source || typeof L === "undefined") { return; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([42.6, 20.9], 8);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  var data = JSON.parse(source.textContent);
  var layer = L.geoJSON(data, {
    pointToLayer: function (feature, latlng) {
      var open = feature.properties.is_open;
      return L.circleMarker(latlng, { radius: 7, color: open ? "#b3261e" : "#1d4f91", weight: 2, fillOpacity: 0.5 });
    },
    onEachFeature: function (feature, featureLayer) {
      // Text from the data is set as text, never parsed as HTML.
      var p = feature.properties;
      var box = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = p.category + " · " + p.status_label;
      var summary = document.createElement("p");
      summary.textContent = p.summary;
      var meta = document.createElement("p");
      meta.textContent = p.received + " · " + (p.supporters + 1) + " " + el.dataset.supportersLabel;
      box.appendChild(title); box.appendChild(summary); box.appendChild(meta);
      featureLayer.bindPopup(box);
    }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 15, animate: false }); }
  el.dataset.ready = "true";
}());
