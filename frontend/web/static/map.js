// Maps (web.MapView; docs/REPORTS.md, docs/BUDGETS.md). A
// [data-map=pins] element shows the reports and planned works of the box
// on screen, read from its data-pins URL; a [data-map=points] element
// shows the points listed in its data-points (an edition's projects); a
// [data-map=picker] element fills the latitude and longitude fields
// named by data-lat and data-lon where one clicks.
// Without this script (or without Leaflet) the maps stay hidden and the
// pages work with their fields and lists.
(function () {
  'use strict';
  if (!window.L) { return; }

  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }

  // snap widens a box [west, south, east, north] to a grid of about an
  // eighth of its larger side (1, 2 or 5 times a power of ten, in
  // microdegrees), so that people looking at about the same place ask
  // for the same box and the node answers them once (its answers are
  // kept 2 s: docs/REPORTS.md). reports.SnapBox is the same in Go.
  function snap(box) {
    var e = box.map(function (v) { return Math.round(v * 1e6); });
    var span = Math.max(e[2] - e[0], e[3] - e[1]) / 8;
    var step = 10;
    var p, m;
    for (p = 10; p <= 100000000; p *= 10) {
      for (m = 1; m <= 5; m += (m === 1 ? 1 : 3)) {
        if (m * p <= span) { step = m * p; }
      }
    }
    var lo = [-180000000, -90000000, -180000000, -90000000];
    var hi = [180000000, 90000000, 180000000, 90000000];
    return e.map(function (v, i) {
      var s = (i < 2 ? Math.floor(v / step) : Math.ceil(v / step)) * step;
      return (Math.min(Math.max(s, lo[i]), hi[i]) / 1e6).toFixed(6);
    });
  }

  function pins(map, el) {
    var layer = L.layerGroup().addTo(map);
    var note = document.getElementById(el.id + '-more');
    var seq = 0;
    function load() {
      var b = map.getBounds();
      var n = ++seq;
      var box = snap([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
      fetch(el.dataset.pins + '?bbox=' + box.join(','), { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (n !== seq) { return; }
          layer.clearLayers();
          if (note) { note.hidden = !(d === null || d.more); }
          if (!d) { return; }
          d.works.forEach(function (w) {
            L.circleMarker([w.lat, w.lon], { radius: 10, color: '#5b2a86', weight: 3, fillOpacity: 0.15 })
              .bindPopup(link(w.url, w.label)).addTo(layer);
          });
          d.pins.forEach(function (p) {
            L.circleMarker([p.lat, p.lon], { radius: 6, color: p.open ? '#a3241b' : '#2d6a30', weight: 2, fillOpacity: 0.7 })
              .bindPopup(link(p.url, p.label)).addTo(layer);
          });
          el.dataset.loaded = String(d.pins.length);
        });
    }
    map.on('moveend', load);
    load();
  }

  function points(map, el) {
    var list = [];
    try { list = JSON.parse(el.dataset.points || '[]'); } catch (e) { return; }
    list.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], { radius: 8, color: p.colour, weight: 3, fillOpacity: 0.6 })
        .bindPopup(link(p.url, p.label)).addTo(map);
    });
    el.dataset.loaded = String(list.length);
  }

  function picker(map, el) {
    var lat = document.getElementById(el.dataset.lat);
    var lon = document.getElementById(el.dataset.lon);
    var marker = null;
    function place(ll) {
      if (marker) { marker.setLatLng(ll); } else {
        marker = L.circleMarker(ll, { radius: 8, color: '#a3241b', weight: 3, fillOpacity: 0.5 }).addTo(map);
      }
    }
    var at = [parseFloat((lat.value || '').replace(',', '.')), parseFloat((lon.value || '').replace(',', '.'))];
    if (isFinite(at[0]) && isFinite(at[1])) {
      place(at);
      map.setView(at, 17);
    }
    map.on('click', function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      place(e.latlng);
    });
  }

  document.querySelectorAll('[data-map]').forEach(function (el) {
    el.hidden = false;
    el.style.height = '24rem';
    var help = document.getElementById(el.id + '-help');
    if (help) { help.hidden = false; }
    var map = L.map(el, { scrollWheelZoom: false });
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
    var b = (el.dataset.bounds || '').split(',').map(Number);
    if (b.length === 4 && b.every(isFinite)) {
      map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { maxZoom: 17 });
    } else {
      map.setView([48.8566, 2.3522], 13);
    }
    if (el.dataset.map === 'picker') { picker(map, el); } else if (el.dataset.map === 'points') { points(map, el); } else { pins(map, el); }
  });
}());
