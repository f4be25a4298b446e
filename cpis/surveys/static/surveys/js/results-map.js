/* Survey results map: the sectors from the sectors API, each coloured by the
   figure the page embeds (json_script "map-data"): a colour of the legend, or
   grey and hatched where the figure is withheld (fewer answers than the wave's
   minimum). Words come from the server (translated); names and figures are set
   as text, never parsed as HTML. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var source = document.getElementById(el.dataset.figures);
  var figures = source ? JSON.parse(source.textContent) : { sectors: {} };

  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  map.setView([42.6, 20.9], 8);

  function tooltip(lines) {
    var box = document.createElement("span");
    lines.forEach(function (line, i) {
      if (i) { box.appendChild(document.createElement("br")); }
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }

  function style(feature) {
    var figure = figures.sectors[String(feature.id)];
    if (!figure) { return { color: "#6b7280", weight: 1, fillOpacity: 0, dashArray: null }; }
    if (figure.withheld) {
      return { color: "#4f5966", weight: 1, fillColor: figures.withheld_fill, fillOpacity: 0.7, dashArray: "4 3" };
    }
    return { color: "#1b1f24", weight: 1, fillColor: figure.colour, fillOpacity: 0.75 };
  }

  // A hatch for withheld sectors, in the SVG the map draws its shapes in.
  function hatch(svg) {
    if (!svg || svg.querySelector("#withheld-hatch")) { return; }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "withheld-hatch");
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var back = document.createElementNS(ns, "rect");
    back.setAttribute("width", "8");
    back.setAttribute("height", "8");
    back.setAttribute("fill", figures.withheld_fill || "#bdbdbd");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
    line.setAttribute("x2", "0"); line.setAttribute("y2", "8");
    line.setAttribute("stroke", "#4f5966"); line.setAttribute("stroke-width", "2");
    pattern.appendChild(back);
    pattern.appendChild(line);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  fetch(el.dataset.sectorsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { type: "FeatureCollection", features: [] }; })
    .then(function (data) {
      var withheld = [];
      var shown = [];
      var layer = L.geoJSON(data, {
        style: style,
        onEachFeature: function (feature, featureLayer) {
          var figure = figures.sectors[String(feature.id)];
          var text = figure ? figure.text : el.dataset.noFigure;
          featureLayer.bindTooltip(tooltip([feature.properties.name, text]), { sticky: true });
          if (figure) { shown.push(featureLayer); }
          if (figure && figure.withheld) { withheld.push(featureLayer); }
        }
      }).addTo(map);
      var svg = el.querySelector(".leaflet-overlay-pane svg");
      hatch(svg);
      withheld.forEach(function (featureLayer) {
        if (featureLayer._path) { featureLayer._path.setAttribute("fill", "url(#withheld-hatch)"); }
      });
      var bounds = shown.length ? L.featureGroup(shown).getBounds() : layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds); }
      el.dataset.ready = "true";
    });
}());
