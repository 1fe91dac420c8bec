// extract-countries.mjs - build vendor/natural-earth/lancang-mekong-countries-50m.geojson, the
// country outlines drawn on the map of `lmplan report`, from the npm package world-atlas
// (Natural Earth 1:50m admin-0 countries as TopoJSON), decoded with topojson-client.
//
// Run once by hand when the outlines are re-vendored (never by the build):
//   node vendor/tools/extract-countries.mjs WORLD_ATLAS_PACKAGE_DIR TOPOJSON_CLIENT_PACKAGE_DIR \
//       > vendor/natural-earth/lancang-mekong-countries-50m.geojson
// Keeps the six Lancang-Mekong countries; China is clipped to the region's box (90-112 E,
// 5-30 N) so the file stays small; coordinates are rounded to 0.001 degree (about 100 m, far
// below the 1:50m source's own accuracy).  Uses only node's built-ins and topojson-client.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [atlasDir, clientDir] = process.argv.slice(2);
if (!atlasDir || !clientDir) {
  console.error("usage: node extract-countries.mjs WORLD_ATLAS_DIR TOPOJSON_CLIENT_DIR");
  process.exit(64);
}
const require = createRequire(import.meta.url);
const topojson = require(path.resolve(clientDir, "dist/topojson-client.js"));
const world = JSON.parse(readFileSync(path.join(atlasDir, "countries-50m.json"), "utf8"));

// ISO 3166-1 numeric codes (world-atlas feature ids)
const KEEP = { "156": "China", "104": "Myanmar", "418": "Lao PDR", "764": "Thailand",
               "116": "Cambodia", "704": "Viet Nam" };
const BOX = { west: 90, east: 112, south: 5, north: 30 };

// Sutherland-Hodgman: clip one closed ring against one half-plane at a time.
function clipRing(ring, box) {
  const edges = [
    [p => p[0] >= box.west, (a, b) => cut(a, b, 0, box.west)],
    [p => p[0] <= box.east, (a, b) => cut(a, b, 0, box.east)],
    [p => p[1] >= box.south, (a, b) => cut(a, b, 1, box.south)],
    [p => p[1] <= box.north, (a, b) => cut(a, b, 1, box.north)],
  ];
  let out = ring.slice(0, -1); // open ring
  for (const [inside, inter] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i], prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(inter(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(inter(prev, cur));
      }
    }
    if (out.length === 0) return null;
  }
  return out.length >= 3 ? [...out, out[0]] : null;
}
function cut(a, b, axis, v) {
  const t = (v - a[axis]) / (b[axis] - a[axis]);
  return axis === 0 ? [v, a[1] + t * (b[1] - a[1])] : [a[0] + t * (b[0] - a[0]), v];
}
function round(ring) {
  const out = [];
  for (const [x, y] of ring) {
    const p = [Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000];
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  return out.length >= 4 ? out : null;
}

const all = topojson.feature(world, world.objects.countries).features;
const features = [];
for (const f of all) {
  const name = KEEP[f.id];
  if (!name) continue;
  const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  const kept = [];
  for (const poly of polys) {
    const rings = [];
    for (let i = 0; i < poly.length; i++) {
      let r = f.id === "156" ? clipRing(poly[i], BOX) : poly[i];
      r = r && round(r);
      if (r) rings.push(r);
      else if (i === 0) break; // outer ring gone: drop the polygon
    }
    if (rings.length) kept.push(rings);
  }
  features.push({ type: "Feature", id: f.id,
                  properties: { name, source_name: f.properties.name, clipped: f.id === "156" },
                  geometry: { type: "MultiPolygon", coordinates: kept } });
}
features.sort((a, b) => a.id.localeCompare(b.id));
process.stdout.write(JSON.stringify({ type: "FeatureCollection", features }) + "\n");
