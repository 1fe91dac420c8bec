/* report.js - draws the charts and the map of an lmplan report page (inlined by
 * src/report/report.c after Chart.js).  It reads two JSON blocks written by lmplan: #lm-data
 * (the run's series: zones, techs, years and one key per section) and #lm-geo (Natural Earth
 * country outlines).  Every <canvas data-chart="kind[/zone]"> gets one Chart.js chart; the map
 * is SVG.  When done it records on <body> how many charts drew pixels and how many countries
 * and dams the map holds (data-charts-expected, data-charts-drawn, data-map-countries,
 * data-map-dams, data-ready), which the headless-browser test reads. */
(function () {
  "use strict";
  var record = window.lmRecordError || function (m) { console.error(m); };
  var D = JSON.parse(document.getElementById("lm-data").textContent);
  var GEO = JSON.parse(document.getElementById("lm-geo").textContent);
  var years = D.years || [], zones = D.zones || [], techs = D.techs || [];

  /* ---- colours ---------------------------------------------------------------------- */
  var TECH_COLOURS = {
    coal: "#3d3d3d", lignite: "#5a4a3a", oil: "#8c564b", diesel: "#8c564b", gas: "#e07b39",
    ccgt: "#e07b39", ocgt: "#f0a45d", nuclear: "#c44e52", hydro: "#1f78b4", "hydro_ror": "#4fa3d9",
    phs: "#6a51a3", solar: "#f2c12e", pv: "#f2c12e", wind: "#7fc8a9", "wind_offshore": "#2a9d8f",
    bioenergy: "#4d9a3a", biomass: "#4d9a3a", geothermal: "#b5651d", "li-ion": "#9467bd",
    battery: "#9467bd", storage: "#9467bd"
  };
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                 "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#d95f02"];
  function techColour(name, i) {
    var c = TECH_COLOURS[String(name).toLowerCase()];
    return c || PALETTE[i % PALETTE.length];
  }
  function seriesColour(i) { return PALETTE[i % PALETTE.length]; }
  var STATUS_COLOURS = { existing: "#1f4e79", built: "#2ca02c", not_built: "#d62728",
                         not_modelled: "#9e9e9e", planned: "#ff9f1c" };

  /* ---- helpers ---------------------------------------------------------------------- */
  function fmt(v, d) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    return Number(v).toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  function anyNonZero(a) { return a.some(function (v) { return v !== null && v !== 0; }); }
  function sumZones(cube) { /* cube[z][k][y] -> [k][y] over all zones */
    return techs.map(function (_, k) {
      return years.map(function (_, y) {
        var s = 0;
        for (var z = 0; z < cube.length; z++) s += cube[z][k][y] || 0;
        return s;
      });
    });
  }
  function techDatasets(mat) { /* mat[k][y] -> stacked bar datasets, all-zero techs left out */
    var out = [];
    techs.forEach(function (t, k) {
      if (!anyNonZero(mat[k])) return;
      out.push({ type: "bar", label: t, data: mat[k], backgroundColor: techColour(t, k), stack: "s" });
    });
    return out;
  }
  function stackedOptions(unit, decimals, horizontal) {
    var valueAxis = { stacked: true, beginAtZero: true, title: { display: true, text: unit } };
    var catAxis = { stacked: true, ticks: { autoSkip: !horizontal } };
    return {
      animation: false, responsive: true, maintainAspectRatio: false,
      datasets: { bar: { maxBarThickness: horizontal ? 28 : 120 } },
      indexAxis: horizontal ? "y" : "x",
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12, font: { size: 11 } } },
        tooltip: { callbacks: { label: function (ctx) {
          var v = horizontal ? ctx.parsed.x : ctx.parsed.y;
          return ctx.dataset.label + ": " + fmt(v, decimals) + " " + unit;
        } } }
      },
      scales: horizontal ? { x: valueAxis, y: catAxis } : { x: catAxis, y: valueAxis }
    };
  }

  /* ---- chart builders: kind -> function(arg) returning a Chart.js config or null ------- */
  var BUILD = {
    capacity: function (z) {
      if (!D.capacity) return null;
      var mat = z < 0 ? sumZones(D.capacity) : D.capacity[z];
      return { type: "bar", data: { labels: years, datasets: techDatasets(mat) },
               options: stackedOptions("GW", 2) };
    },
    generation: function (z) {
      if (!D.generation) return null;
      var mat = z < 0 ? sumZones(D.generation) : D.generation[z];
      var ds = techDatasets(mat);
      if (D.demand) {
        var dem = z < 0 ? years.map(function (_, y) {
          return D.demand.reduce(function (s, row) { return s + (row[y] || 0); }, 0);
        }) : D.demand[z];
        ds.push({ type: "line", label: "demand", data: dem, borderColor: "#111", backgroundColor: "#111",
                  borderWidth: 2, pointRadius: 3, stack: "demand", order: -1 });
      }
      return { type: "bar", data: { labels: years, datasets: ds }, options: stackedOptions("TWh", 1) };
    },
    emissions: function () {
      if (!D.emissions) return null;
      var ds = zones.map(function (zn, z) {
        return { type: "bar", label: zn, data: D.emissions[z], backgroundColor: seriesColour(z), stack: "s" };
      });
      if (D.basinCap && D.basinCap.some(function (v) { return v !== null; }))
        ds.push({ type: "line", label: "basin cap", data: D.basinCap, borderColor: "#b42318",
                  backgroundColor: "#b42318", borderDash: [6, 4], borderWidth: 2, pointRadius: 3,
                  spanGaps: false, stack: "cap", order: -1 });
      return { type: "bar", data: { labels: years, datasets: ds }, options: stackedOptions("Mt CO2", 1) };
    },
    flows: function () {
      if (!D.lines) return null;
      var labels = D.lines.map(function (l) { return l.from + " → " + l.to; });
      var ds = years.map(function (yr, y) {
        return { label: yr, data: D.lines.map(function (l) { return l.energyTwh[y]; }),
                 backgroundColor: seriesColour(y) };
      });
      var o = stackedOptions("TWh", 2, true);
      o.scales.x.stacked = false;
      o.scales.y.stacked = false;
      o.interaction = { mode: "nearest", intersect: true };
      return { type: "bar", data: { labels: labels, datasets: ds }, options: o };
    },
    hydro: function () {
      if (!D.hydro) return null;
      var ds = zones.map(function (zn, z) {
        return { label: zn, data: D.hydro[z], backgroundColor: seriesColour(z), stack: "s" };
      }).filter(function (d) { return anyNonZero(d.data); });
      return { type: "bar", data: { labels: years, datasets: ds }, options: stackedOptions("TWh", 1) };
    },
    sediment: function () {
      if (!D.sediment) return null;
      var o = stackedOptions("Mt/yr", 2, true);
      o.plugins.legend.display = false;
      return { type: "bar", data: { labels: D.sediment.labels, datasets: [
        { label: "deposited", data: D.sediment.depositedMt, backgroundColor: "#a0522d" }] }, options: o };
    },
    "costs-year": function () { return costChart("byYear", "years"); },
    "costs-zone": function () { return costChart("byZone", "zones"); }
  };
  function costChart(key, axis) {
    var C = D.costs;
    if (!C) return null;
    var keep = C[axis].map(function (_, i) {
      return C[key].some(function (row) { return row[i] !== 0 && row[i] !== null; });
    });
    var labels = C[axis].filter(function (_, i) { return keep[i]; });
    var ds = C.categories.map(function (cat, k) {
      return { label: C.labels[k], data: C[key][k].filter(function (_, i) { return keep[i]; }),
               backgroundColor: seriesColour(k), stack: "s" };
    }).filter(function (d) { return anyNonZero(d.data); });
    return { type: "bar", data: { labels: labels, datasets: ds }, options: stackedOptions("bn USD", 2) };
  }

  var charts = [];
  function drawCharts() {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = "#33404d";
    document.querySelectorAll("canvas[data-chart]").forEach(function (cv) {
      var spec = cv.getAttribute("data-chart").split("/");
      var build = BUILD[spec[0]];
      try {
        var cfg = build ? build(spec.length > 1 ? parseInt(spec[1], 10) : -1) : null;
        if (!cfg) { record("no data for chart " + spec.join("/")); return; }
        var ch = new Chart(cv, cfg);
        ch.lmKind = spec[0];
        charts.push(ch);
      } catch (e) {
        record("chart " + spec.join("/") + ": " + (e && e.message ? e.message : e));
      }
    });
    document.querySelectorAll("select[data-select]").forEach(function (sel) {
      sel.addEventListener("change", function () {
        var kind = sel.getAttribute("data-select");
        charts.forEach(function (ch) {
          if (ch.lmKind !== kind) return;
          var cfg = BUILD[kind](parseInt(sel.value, 10));
          ch.data = cfg.data;
          ch.update();
        });
      });
    });
  }

  /* ---- map: equirectangular SVG of the outlines, river links and dams ------------------ */
  var SVGNS = "http://www.w3.org/2000/svg";
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var a in attrs) e.setAttribute(a, attrs[a]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function ringArea(r) {
    var a = 0;
    for (var i = 0, n = r.length; i < n; i++) {
      var p = r[i], q = r[(i + 1) % n];
      a += p[0] * q[1] - q[0] * p[1];
    }
    return a / 2;
  }
  function inside(poly, x, y) { /* even-odd rule over all rings (holes subtract) */
    var c = false;
    poly.forEach(function (r) {
      for (var i = 0, j = r.length - 1; i < r.length; j = i++)
        if ((r[i][1] > y) !== (r[j][1] > y) &&
            x < (r[j][0] - r[i][0]) * (y - r[i][1]) / (r[j][1] - r[i][1]) + r[i][0]) c = !c;
    });
    return c;
  }
  function edgeDistance(poly, x, y) {
    var best = Infinity;
    poly.forEach(function (r) {
      for (var i = 0, j = r.length - 1; i < r.length; j = i++) {
        var ax = r[j][0], ay = r[j][1], bx = r[i][0], by = r[i][1];
        var dx = bx - ax, dy = by - ay, l = dx * dx + dy * dy;
        var t = l > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / l)) : 0;
        var ex = ax + t * dx - x, ey = ay + t * dy - y;
        best = Math.min(best, ex * ex + ey * ey);
      }
    });
    return Math.sqrt(best);
  }
  /* A label position well inside a polygon: of a grid of points inside it (and inside the
     frame, if given), the one farthest from its edges. */
  function labelPoint(poly, frame) {
    var b = [Infinity, -Infinity, Infinity, -Infinity];
    poly[0].forEach(function (p) {
      b[0] = Math.min(b[0], p[0]); b[1] = Math.max(b[1], p[0]);
      b[2] = Math.min(b[2], p[1]); b[3] = Math.max(b[3], p[1]);
    });
    if (frame) {
      b[0] = Math.max(b[0], frame.west + 1); b[1] = Math.min(b[1], frame.east - 1);
      b[2] = Math.max(b[2], frame.south + 1); b[3] = Math.min(b[3], frame.north - 1);
    }
    var best = null, bestD = -1, N = 24;
    for (var i = 0; i <= N; i++) for (var k = 0; k <= N; k++) {
      var x = b[0] + (b[1] - b[0]) * i / N, y = b[2] + (b[3] - b[2]) * k / N;
      if (!inside(poly, x, y)) continue;
      var dd = edgeDistance(poly, x, y);
      if (frame) dd = Math.min(dd, x - frame.west, frame.east - x, y - frame.south, frame.north - y);
      if (dd > bestD) { bestD = dd; best = [x, y]; }
    }
    return best;
  }
  function drawMap() {
    var host = document.getElementById("map");
    if (!host) return;
    var M = D.map || { dams: [], links: [], statuses: [] };
    var west = Infinity, east = -Infinity, south = Infinity, north = -Infinity;
    function extend(lon, lat) {
      if (lon < west) west = lon; if (lon > east) east = lon;
      if (lat < south) south = lat; if (lat > north) north = lat;
    }
    /* frame: the unclipped countries and the stations; China's outline, clipped to a box
       around the region, is cut off at the frame instead of widening it */
    GEO.features.forEach(function (f) {
      if (f.properties.clipped) return;
      f.geometry.coordinates.forEach(function (poly) {
        poly[0].forEach(function (p) { extend(p[0], p[1]); });
      });
    });
    M.dams.forEach(function (d) { if (d.lon !== null && d.lat !== null) extend(d.lon, d.lat); });
    west -= 0.8; east += 0.8; south -= 0.5; north += 0.8;
    var kx = Math.cos((south + north) / 2 * Math.PI / 180);
    var W = 800, scale = W / ((east - west) * kx), H = Math.round((north - south) * scale);
    function X(lon) { return ((lon - west) * kx * scale).toFixed(1); }
    function Y(lat) { return ((north - lat) * scale).toFixed(1); }
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", overflow: "hidden",
                          "aria-label": "Map of the Lancang-Mekong countries with hydropower stations" });
    var grid = el("g", {}, svg);
    for (var lon = Math.ceil(west / 5) * 5; lon <= east; lon += 5) {
      el("line", { x1: X(lon), x2: X(lon), y1: 0, y2: H, "class": "graticule" }, grid);
      if (+X(lon) < W - 40)
        el("text", { x: +X(lon) + 3, y: H - 4, "class": "grid-label" }, grid).textContent = lon + "°E";
    }
    for (var lat = Math.ceil(south / 5) * 5; lat <= north; lat += 5) {
      el("line", { x1: 0, x2: W, y1: Y(lat), y2: Y(lat), "class": "graticule" }, grid);
      el("text", { x: 3, y: +Y(lat) - 3, "class": "grid-label" }, grid).textContent = lat + "°N";
    }
    var land = el("g", {}, svg), labels = [];
    GEO.features.forEach(function (f) {
      var d = "", best = null, bestArea = -1;
      f.geometry.coordinates.forEach(function (poly) {
        poly.forEach(function (ring) {
          d += "M" + ring.map(function (p) { return X(p[0]) + "," + Y(p[1]); }).join("L") + "Z";
        });
        var a = Math.abs(ringArea(poly[0]));
        if (a > bestArea) { bestArea = a; best = poly; }
      });
      var path = el("path", { d: d, "class": "country" }, land);
      el("title", {}, path).textContent = f.properties.name;
      var at = best && labelPoint(best, f.properties.clipped ? { west: west, east: east, south: south, north: north } : null);
      if (at) labels.push([f.properties.name, at[0], at[1]]);
    });
    var links = el("g", {}, svg);
    (M.links || []).forEach(function (l) {
      var a = M.dams[l[0]], b = M.dams[l[1]];
      if (!a || !b || a.lon === null || b.lon === null || a.lat === null || b.lat === null) return;
      el("line", { x1: X(a.lon), y1: Y(a.lat), x2: X(b.lon), y2: Y(b.lat), "class": "river-link" }, links);
    });
    var lab = el("g", {}, svg);
    labels.forEach(function (t) {
      el("text", { x: X(t[1]), y: Y(t[2]), "class": "country-label" }, lab).textContent = t[0];
    });
    var dams = el("g", {}, svg);
    var order = M.dams.slice().sort(function (a, b) { return (b.mw || 0) - (a.mw || 0); });
    order.forEach(function (d) {
      if (d.lon === null || d.lat === null) return;
      var r = Math.max(2.5, Math.sqrt(Math.max(d.mw || 0, 0)) / 6);
      var c = el("circle", { cx: X(d.lon), cy: Y(d.lat), r: r.toFixed(1), "class": "dam dam-" + d.status,
                             fill: STATUS_COLOURS[d.status] || "#000" }, dams);
      var label = (M.statuses.filter(function (s) { return s.key === d.status; })[0] || {}).label || d.status;
      var text = d.name + (d.river ? " (" + d.river + ")" : "") + " – " + d.zone + ", " +
                 fmt(d.mw, 0) + " MW, commissioning " + d.year + ": " + label;
      if (d.built !== null && d.built > 0 && d.built < 1) text += " (decision " + fmt(d.built, 2) + ")";
      if (d.firstYear) text += ", in service from " + d.firstYear;
      if (d.decided !== null && (d.status === "built" || d.status === "not_built")) text += d.decided ? " (decided by the model)" : " (set by the plan)";
      el("title", {}, c).textContent = text;
    });
    host.appendChild(svg);
    var legend = document.getElementById("map-legend");
    if (legend) {
      M.statuses.forEach(function (s) {
        var row = document.createElement("div");
        var sw = document.createElement("span");
        sw.className = "swatch";
        sw.style.background = STATUS_COLOURS[s.key] || "#000";
        row.appendChild(sw);
        row.appendChild(document.createTextNode(s.label + " (" + s.count + ")"));
        legend.appendChild(row);
      });
      if (M.links && M.links.length) {
        var row = document.createElement("div");
        row.innerHTML = '<svg width="14" height="14"><line x1="0" y1="7" x2="14" y2="7" stroke="#4a90c2" stroke-width="2" stroke-dasharray="3 2"/></svg>';
        row.appendChild(document.createTextNode("next station downstream (hydro_connect.csv; straight line, not the river's course)"));
        legend.appendChild(row);
      }
    }
  }

  /* ---- self-check for the test: which charts put pixels on their canvas --------------- */
  function canvasDrawn(cv) {
    if (!cv.width || !cv.height) return false;
    var px = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
    for (var i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
    return false;
  }
  function selfCheck() {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    var drawn = 0;
    canvases.forEach(function (cv) { if (canvasDrawn(cv)) drawn++; });
    var b = document.body;
    b.setAttribute("data-charts-expected", String(canvases.length));
    b.setAttribute("data-charts-drawn", String(drawn));
    b.setAttribute("data-map-countries", String(document.querySelectorAll("#map path.country").length));
    b.setAttribute("data-map-dams", String(document.querySelectorAll("#map circle.dam").length));
    b.setAttribute("data-map-status", Object.keys(STATUS_COLOURS).map(function (k) {
      return k + "=" + document.querySelectorAll("#map circle.dam-" + k).length;
    }).join(" "));
    b.setAttribute("data-ready", "1");
  }

  /* printing: open the collapsed tables so that the printout holds every number */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });

  try { drawCharts(); } catch (e) { record("charts: " + (e && e.message ? e.message : e)); }
  try { drawMap(); } catch (e) { record("map: " + (e && e.message ? e.message : e)); }
  try { selfCheck(); } catch (e) { record("self-check: " + (e && e.message ? e.message : e)); }
})();
