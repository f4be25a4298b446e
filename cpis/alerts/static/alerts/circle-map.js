/* Alerts: the circle on the map. Click sets the centre (the hidden lat/lon),
   the radius field sizes it; shown only when "A circle on the map" is chosen. */
(function () {
  "use strict";
  var el = document.getElementById("circle-map");
  var fields = document.getElementById("circle-fields");
  if (!el || !fields) { return; }
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var radius = document.getElementById("id_radius");
  var choices = document.querySelectorAll("input[name=area]");
  var map = null, circle = null;

  function draw() {
    if (!map || !lat.value || !lon.value) { return; }
    var centre = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
    var metres = parseInt(radius.value, 10) || 500;
    if (circle) { circle.setLatLng(centre).setRadius(metres); } else {
      circle = L.circle(centre, { radius: metres, color: "#b3261e", weight: 2, fillOpacity: 0.1 }).addTo(map);
    }
    var status = document.getElementById("circle-status");
    if (status) { status.textContent = status.dataset.done; }
  }

  function start() {
    if (map || typeof L === "undefined") { return; }
    map = L.map(el, { scrollWheelZoom: false }).setView([42.6, 20.9], 8);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
    }
    fetch(el.dataset.sectorsUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, { style: function () { return { color: "#1d4f91", weight: 1, fillOpacity: 0.04 }; } }).addTo(map);
        if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
        el.dataset.ready = "true";
        draw();
      });
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      draw();
    });
  }

  function toggle() {
    var chosen = document.querySelector("input[name=area]:checked");
    var onCircle = chosen && chosen.value === "circle";
    fields.hidden = !onCircle;
    if (onCircle) { start(); if (map) { map.invalidateSize(); } }
  }

  choices.forEach(function (input) { input.addEventListener("change", toggle); });
  radius.addEventListener("input", draw);
  toggle();
}());
