/* The neighbourhood page's map: the sector's boundary (from the API) and where its
   incidents and concerns of the last twelve months were, one circle per anonymous
   200 m cell (from the page's figures.json), its size growing with the count. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }

  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  map.setView([42.6, 20.9], 8);

  function json(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); });
  }

  function popup(properties) {
    // Names are data: set as text, never parsed as HTML.
    var box = document.createElement("div");
    var title = document.createElement("p");
    var parts = [];
    if (properties.incidents) { parts.push(properties.incidents + " " + el.dataset.labelIncidents); }
    if (properties.concerns) { parts.push(properties.concerns + " " + el.dataset.labelConcerns); }
    title.textContent = parts.join(" · ");
    box.appendChild(title);
    var list = document.createElement("ul");
    properties.counts.forEach(function (row) {
      var item = document.createElement("li");
      item.textContent = row.name + ": " + row.count;
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  var boundary = json(el.dataset.sectorsUrl).then(function (data) {
    var layer = L.geoJSON(data, { style: function () { return { color: "#1d4f91", weight: 2, fillOpacity: 0.05 }; } }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds); }
  });

  var cells = json(el.dataset.figuresUrl).then(function (data) {
    L.geoJSON(data.map, {
      pointToLayer: function (feature, latlng) {
        var total = feature.properties.incidents + feature.properties.concerns;
        var onlyConcerns = !feature.properties.incidents;
        // A 200 m cell is a few pixels across at a sector's zoom: small circles, so that
        // neighbouring cells stay apart, a little larger where more happened.
        return L.circleMarker(latlng, {
          radius: Math.min(2 + Math.sqrt(total), 10),
          color: onlyConcerns ? "#8a4b00" : "#b3261e",
          weight: 0,
          fillOpacity: 0.6
        });
      },
      onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties)); }
    }).addTo(map);
  });

  Promise.all([boundary, cells]).then(function () { el.dataset.ready = "true"; });
}());
