/* Analytics maps: Gi* hot and cold cells, the density overlay and emerging
   clusters, drawn from the JSON the analytics views return. Labels come from
   data attributes (translated by the server); data values are set as text. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }

  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  map.setView([42.6, 20.9], 8);
  var overlays = {};
  var control = L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  var pending = 0;

  var colours = { "3": "#b2182b", "2": "#ef8a62", "1": "#fddbc7", "-1": "#d1e5f0", "-2": "#67a9cf", "-3": "#2166ac" };

  function getJSON(url) {
    pending += 1;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .finally(function () { pending -= 1; if (pending === 0) { el.dataset.ready = "true"; } });
  }

  function tooltip(lines) {
    var box = document.createElement("span");
    lines.forEach(function (line, i) {
      if (i) { box.appendChild(document.createElement("br")); }
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }

  function fit(layer) {
    var bounds = layer.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 14 }); }
  }

  if (el.dataset.geojsonUrl) {
    getJSON(el.dataset.geojsonUrl).then(function (data) {
      if (!data) { return; }
      var layer = L.geoJSON(data, {
        style: function (feature) {
          var level = String(feature.properties.level);
          return { color: colours[level] || "#999", weight: 0.5, fillOpacity: 0.65 };
        },
        onEachFeature: function (feature, featureLayer) {
          var p = feature.properties;
          var kind = p.level > 0 ? el.dataset.labelHot : el.dataset.labelCold;
          featureLayer.bindTooltip(tooltip([kind, el.dataset.labelCount + ": " + p.count, "z = " + p.z, "q = " + p.q_value]), { sticky: true });
        }
      }).addTo(map);
      control.addOverlay(layer, el.dataset.labelCells);
      fit(layer);
    });
  }

  if (el.dataset.densityUrl) {
    getJSON(el.dataset.densityUrl).then(function (data) {
      if (!data || !data.image) { return; }
      var overlay = L.imageOverlay(data.image, data.bounds, { opacity: 0.75, interactive: false });
      overlay.addTo(map);
      overlay.bringToBack();
      control.addOverlay(overlay, el.dataset.labelDensity);
      if (!el.dataset.geojsonUrl) { map.fitBounds(data.bounds); }
    });
  }

  if (el.dataset.clustersUrl) {
    getJSON(el.dataset.clustersUrl).then(function (data) {
      if (!data) { return; }
      var layer = L.geoJSON(data, {
        style: function () { return { color: "#b3261e", weight: 2, fillOpacity: 0.2 }; },
        onEachFeature: function (feature, featureLayer) {
          var p = feature.properties;
          featureLayer.bindTooltip(tooltip([p.label, p.sector, p.from + " – " + p.until, p.observed + " / " + p.expected]), { sticky: true });
        }
      }).addTo(map);
      fit(layer);
    });
  }
  if (!el.dataset.geojsonUrl && !el.dataset.densityUrl && !el.dataset.clustersUrl) { el.dataset.ready = "true"; }
}());
