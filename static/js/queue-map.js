/* Staff queue map: the listed concerns as points, coloured by state. */
(function () {
  "use strict";
  var el = document.getElementById("queue-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([42.6, 20.9], 8);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  var colours = { received: "#b3261e", triaged: "#8a5a00", assigned: "#1d4f91", in_progress: "#1d4f91" };
  fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 5, weight: 1, color: colours[feature.properties.status] || "#4f5966", fillOpacity: 0.6 });
        },
        onEachFeature: function (feature, featureLayer) {
          var link = document.createElement("a");
          link.href = el.dataset.detailUrl + feature.id + "/";
          link.textContent = feature.properties.reference;
          featureLayer.bindPopup(link);
        }
      }).addTo(map);
      if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { maxZoom: 14 }); }
      el.dataset.ready = "true";
    });
}());
