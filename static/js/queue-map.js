/* Staff queue map: the listed concerns as points, coloured by state, gathered into
   clusters that split as one zooms in (Leaflet.markercluster), so hundreds of
   concerns read as counts by area rather than one grey blob. */
(function () {
  "use strict";
  var el = document.getElementById("queue-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { scrollWheelZoom: false, maxZoom: 18 }).setView([42.6, 20.9], 8);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  var colours = { received: "#b3261e", triaged: "#8a5a00", assigned: "#1d4f91", in_progress: "#1d4f91" };
  // Without the cluster library (a page that did not load it) the points are drawn as they are.
  var group = typeof L.markerClusterGroup === "function"
    ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, chunkedLoading: true })
    : L.featureGroup();
  fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 6, weight: 1, color: colours[feature.properties.status] || "#4f5966", fillOpacity: 0.7 });
        },
        onEachFeature: function (feature, featureLayer) {
          var link = document.createElement("a");
          link.href = el.dataset.detailUrl + feature.id + "/";
          link.textContent = feature.properties.reference;
          featureLayer.bindPopup(link);
          group.addLayer(featureLayer);
        }
      });
      map.addLayer(group);
      var bounds = group.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 14 }); }
      el.dataset.points = String(data.features.length);
      el.dataset.ready = "true";
    });
}());
