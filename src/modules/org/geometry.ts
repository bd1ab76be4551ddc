import type { GeoPolygon } from './schema.js';

/** Planar geometry on WGS-84 lng/lat: fine at the scale of a community or a grid. */
export type Point = [number, number];
export type Ring = Point[];

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

export function bboxOf(polygon: GeoPolygon): BBox {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const [lng, lat] of polygon.coordinates[0]) {
    minLng = Math.min(minLng, lng);
    minLat = Math.min(minLat, lat);
    maxLng = Math.max(maxLng, lng);
    maxLat = Math.max(maxLat, lat);
  }
  return { minLng, minLat, maxLng, maxLat };
}

/** Ray casting on one ring (boundary points count as inside either side consistently enough for routing). */
export function pointInRing(lng: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the outer ring and outside every hole. */
export function pointInPolygon(lng: number, lat: number, polygon: GeoPolygon): boolean {
  const [outer, ...holes] = polygon.coordinates;
  if (!pointInRing(lng, lat, outer)) return false;
  return !holes.some((h) => pointInRing(lng, lat, h));
}

function orientation(p: Point, q: Point, r: Point): number {
  const v = (q[1] - p[1]) * (r[0] - q[0]) - (q[0] - p[0]) * (r[1] - q[1]);
  return Math.abs(v) < 1e-15 ? 0 : v > 0 ? 1 : 2;
}

function onSegment(p: Point, q: Point, r: Point): boolean {
  return (
    q[0] <= Math.max(p[0], r[0]) &&
    q[0] >= Math.min(p[0], r[0]) &&
    q[1] <= Math.max(p[1], r[1]) &&
    q[1] >= Math.min(p[1], r[1])
  );
}

/** Do segments p1q1 and p2q2 cross or touch? */
export function segmentsIntersect(p1: Point, q1: Point, p2: Point, q2: Point): boolean {
  const o1 = orientation(p1, q1, p2);
  const o2 = orientation(p1, q1, q2);
  const o3 = orientation(p2, q2, p1);
  const o4 = orientation(p2, q2, q1);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(p1, p2, q1)) ||
    (o2 === 0 && onSegment(p1, q2, q1)) ||
    (o3 === 0 && onSegment(p2, p1, q2)) ||
    (o4 === 0 && onSegment(p2, q1, q2))
  );
}

/** Why a polygon is not usable as a boundary, or null. Messages are for people (zh-CN). */
export function polygonProblem(polygon: GeoPolygon): string | null {
  if (polygon.type !== 'Polygon' || !Array.isArray(polygon.coordinates) || polygon.coordinates.length === 0) {
    return '边界必须是 GeoJSON Polygon';
  }
  for (const ring of polygon.coordinates) {
    if (ring.length < 4) return '边界至少需要 3 个不同的顶点';
    for (const [lng, lat] of ring) {
      if (
        !Number.isFinite(lng) ||
        !Number.isFinite(lat) ||
        lng < -180 ||
        lng > 180 ||
        lat < -90 ||
        lat > 90
      ) {
        return '坐标超出经纬度范围';
      }
    }
    const [first, last] = [ring[0], ring[ring.length - 1]];
    if (first[0] !== last[0] || first[1] !== last[1]) return '边界未闭合：首尾顶点必须相同';
    const n = ring.length - 1;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        // Neighbouring edges share a vertex; that is not a crossing.
        if (j === i + 1 || (i === 0 && j === n - 1)) continue;
        if (segmentsIntersect(ring[i], ring[i + 1], ring[j], ring[j + 1])) return '边界自相交';
      }
    }
  }
  return null;
}

function edgesCross(a: Ring, b: Ring): boolean {
  for (let i = 0; i < a.length - 1; i++) {
    for (let j = 0; j < b.length - 1; j++) {
      const o1 = orientation(a[i], a[i + 1], b[j]);
      const o2 = orientation(a[i], a[i + 1], b[j + 1]);
      const o3 = orientation(b[j], b[j + 1], a[i]);
      const o4 = orientation(b[j], b[j + 1], a[i + 1]);
      // Proper crossings only: shared edges and vertices of neighbouring grids are fine.
      if (o1 && o2 && o3 && o4 && o1 !== o2 && o3 !== o4) return true;
    }
  }
  return false;
}

/** Is `inner` within `outer` (every vertex inside or on it, no edge crossing out)? */
export function polygonWithin(inner: GeoPolygon, outer: GeoPolygon): boolean {
  const eps = 1e-9;
  const b = bboxOf(outer);
  const ring = inner.coordinates[0];
  for (const [lng, lat] of ring) {
    if (lng < b.minLng - eps || lng > b.maxLng + eps || lat < b.minLat - eps || lat > b.maxLat + eps)
      return false;
  }
  // A vertex exactly on the outer boundary is fine; test midpoints of inner edges as well.
  const samples = ring
    .slice(0, -1)
    .map(([x, y], i) => [(x + ring[i + 1][0]) / 2, (y + ring[i + 1][1]) / 2] as Point);
  if (!samples.every(([x, y]) => pointInPolygon(x, y, outer) || onBoundary(x, y, outer.coordinates[0])))
    return false;
  return !edgesCross(ring, outer.coordinates[0]);
}

function onBoundary(x: number, y: number, ring: Ring): boolean {
  for (let i = 0; i < ring.length - 1; i++) {
    if (orientation(ring[i], ring[i + 1], [x, y]) === 0 && onSegment(ring[i], [x, y], ring[i + 1]))
      return true;
  }
  return false;
}

/** Do two polygons share interior area? (Touching along an edge does not count.) */
export function polygonsOverlap(a: GeoPolygon, b: GeoPolygon): boolean {
  const ba = bboxOf(a);
  const bb = bboxOf(b);
  if (ba.maxLng <= bb.minLng || bb.maxLng <= ba.minLng || ba.maxLat <= bb.minLat || bb.maxLat <= ba.minLat)
    return false;
  const ra = a.coordinates[0];
  const rb = b.coordinates[0];
  if (edgesCross(ra, rb)) return true;
  // Vertices, edge midpoints and centroid of each, strictly inside the other, mean shared area.
  const probes = (r: Ring): Point[] => {
    const pts = r.slice(0, -1);
    const mids = pts.map(([x, y], i) => [(x + r[i + 1][0]) / 2, (y + r[i + 1][1]) / 2] as Point);
    const c: Point = [
      pts.reduce((s, p) => s + p[0], 0) / pts.length,
      pts.reduce((s, p) => s + p[1], 0) / pts.length,
    ];
    return [...pts, ...mids, c];
  };
  const strictlyIn = (pts: Point[], poly: GeoPolygon) =>
    pts.some(([x, y]) => pointInPolygon(x, y, poly) && !onBoundary(x, y, poly.coordinates[0]));
  return strictlyIn(probes(ra), b) || strictlyIn(probes(rb), a);
}

export function rectangle(minLng: number, minLat: number, maxLng: number, maxLat: number): GeoPolygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [minLng, minLat],
        [maxLng, minLat],
        [maxLng, maxLat],
        [minLng, maxLat],
        [minLng, minLat],
      ],
    ],
  };
}
