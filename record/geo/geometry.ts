/**
 * Pure geometry over longitude/latitude degrees: whether a region holds a
 * point, great-circle distances, and the box a region lies in (what a grid
 * index reads).
 *
 * Polygon edges are straight lines in longitude/latitude (planar), where
 * Aerospike's S2 uses great-circle edges; the two agree for the city-sized
 * regions queries use and differ by up to a few hundred metres along edges
 * hundreds of kilometres long. Circles (AeroCircle) are exact on the sphere:
 * a point is inside when its haversine distance to the centre is at most
 * the radius.
 */
import { EARTH_RADIUS_M } from './parse.js';
import type { Box, LngLat, Loop, Region } from './shape.js';

const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine formula) on a sphere of EARTH_RADIUS_M. */
export function haversineM(a: LngLat, b: LngLat): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Ray casting: whether `p` lies inside the loop (edges from each vertex to the next, the last back to the first). */
export function loopContains(loop: Loop, p: LngLat): boolean {
  let inside = false;
  for (let i = 0, j = loop.length - 1; i < loop.length; j = i++) {
    const a = loop[i]!;
    const b = loop[j]!;
    if (a.lat > p.lat !== b.lat > p.lat && p.lng < ((b.lng - a.lng) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lng) inside = !inside;
  }
  return inside;
}

/**
 * Whether a polygon holds `p`: inside an odd number of its loops (inside the
 * shell and not inside a hole; loop orientation does not matter, as S2 takes
 * every loop as the smaller of the two areas it bounds).
 */
export function polygonContains(loops: Loop[], p: LngLat): boolean {
  let inside = false;
  for (const loop of loops) if (loopContains(loop, p)) inside = !inside;
  return inside;
}

export function regionContains(region: Region, p: LngLat): boolean {
  switch (region.kind) {
    case 'polygon':
      return polygonContains(region.loops, p);
    case 'multipolygon':
      return region.polygons.some((loops) => polygonContains(loops, p));
    case 'circle':
      return haversineM(region.center, p) <= region.radiusM;
  }
}

const WORLD: Box = { latLo: -90, latHi: 90, lngLo: -180, lngHi: 180 };

function loopsBox(loops: Loop[], into: Box | null): Box | null {
  let box = into;
  for (const loop of loops) {
    for (const v of loop) {
      if (box === null) box = { latLo: v.lat, latHi: v.lat, lngLo: v.lng, lngHi: v.lng };
      else {
        box.latLo = Math.min(box.latLo, v.lat);
        box.latHi = Math.max(box.latHi, v.lat);
        box.lngLo = Math.min(box.lngLo, v.lng);
        box.lngHi = Math.max(box.lngHi, v.lng);
      }
    }
  }
  return box;
}

/**
 * A box holding every point the region holds, or null when it holds none (a
 * polygon without loops, a negative radius). A circle's box crosses the
 * antimeridian when the circle does (lngLo > lngHi), and spans every
 * longitude when the circle reaches a pole.
 */
export function regionBox(region: Region): Box | null {
  switch (region.kind) {
    case 'polygon':
      return loopsBox(region.loops, null);
    case 'multipolygon':
      return region.polygons.reduce<Box | null>((box, loops) => loopsBox(loops, box), null);
    case 'circle': {
      if (!(region.radiusM >= 0)) return null;
      const angle = region.radiusM / EARTH_RADIUS_M;
      if (angle >= Math.PI) return { ...WORLD };
      const { lat, lng } = region.center;
      const dLat = angle / RAD;
      const latLo = lat - dLat;
      const latHi = lat + dLat;
      if (latLo <= -90 || latHi >= 90) return { latLo: Math.max(-90, latLo), latHi: Math.min(90, latHi), lngLo: -180, lngHi: 180 };
      // The widest longitude offset of a spherical cap that misses the poles: asin(sin(angle) / cos(lat)).
      const dLng = Math.asin(Math.min(1, Math.sin(angle) / Math.cos(lat * RAD))) / RAD;
      if (dLng >= 180) return { latLo, latHi, lngLo: -180, lngHi: 180 };
      let lngLo = lng - dLng;
      let lngHi = lng + dLng;
      if (lngLo < -180) lngLo += 360;
      if (lngHi > 180) lngHi -= 360;
      if (lngLo <= lngHi && lngHi - lngLo >= 360 - 1e-9) return { latLo, latHi, lngLo: -180, lngHi: 180 };
      return { latLo, latHi, lngLo, lngHi };
    }
  }
}
