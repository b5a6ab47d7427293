// @ts-check
// A trip's e-seal track as inline SVG, drawn from its readings alone (no map tiles, nothing loaded from
// elsewhere): an equirectangular projection about the track's middle latitude, the route as polylines
// (red where the seal was open), the sealing and the end marked, each ledger alert as a marker at the
// reading nearest its time, and a scale bar in kilometres.
import { formatTime, h, svg, visibleControls } from "./dom.js";

const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = 28;
/** Kilometres per degree of latitude (a sphere of radius 6,371 km). */
const KM_PER_DEGREE = (Math.PI * 6371) / 180;

/**
 * The trip as the lot page asks for it (lot.js): positions in integer microdegrees, as the device sent them.
 * @typedef {{ time: string, latitude: number, longitude: number, sealClosed: boolean, alerts: string[] }} TrackPosition
 * @typedef {{ time: string, alert: string, detail: string | null }} RouteAlert
 * @typedef {{ seal: string, origin: string, destination: string, arrivedAt: string | null, alerts: RouteAlert[], track: TrackPosition[] }} RouteTrip
 */

/**
 * A round length (1, 2 or 5 × a power of ten) of at most `most` km.
 * @param {number} most
 */
function roundKm(most) {
  const power = 10 ** Math.floor(Math.log10(most));
  return [5, 2, 1].map((step) => step * power).find((length) => length <= most) ?? power;
}

/**
 * The reading nearest in time to `time`.
 * @param {TrackPosition[]} track
 * @param {string} time
 */
function nearest(track, time) {
  const at = Date.parse(time);
  return track.reduce((best, position) => (Math.abs(Date.parse(position.time) - at) < Math.abs(Date.parse(best.time) - at) ? position : best));
}

/**
 * @param {RouteTrip} trip with at least one reading
 */
export function trackRoute(trip) {
  const { track } = trip;
  const degrees = track.map((position) => ({ lat: position.latitude / 1e6, lon: position.longitude / 1e6 }));
  const lats = degrees.map((point) => point.lat);
  const lons = degrees.map((point) => point.lon);
  const middle = (Math.min(...lats) + Math.max(...lats)) / 2;
  const shrink = Math.cos((middle * Math.PI) / 180);
  // Degrees east scaled by the middle latitude's cosine: distances read alike in both directions.
  const spanX = Math.max((Math.max(...lons) - Math.min(...lons)) * shrink, 1e-4);
  const spanY = Math.max(Math.max(...lats) - Math.min(...lats), 1e-4);
  const scale = Math.min((WIDTH - 2 * MARGIN) / spanX, (HEIGHT - 2 * MARGIN - 24) / spanY);
  const west = Math.min(...lons);
  const north = Math.max(...lats);
  /** @type {(position: TrackPosition) => [number, number]} */
  const project = (position) => [MARGIN + (position.longitude / 1e6 - west) * shrink * scale, MARGIN + (north - position.latitude / 1e6) * scale];

  // Runs of readings with the seal in one state, each run joined to the next so the line stays whole.
  /** @type {Array<{ closed: boolean, points: TrackPosition[] }>} */
  const runs = [];
  for (const position of track) {
    const last = runs.at(-1);
    if (last !== undefined && last.closed === position.sealClosed) last.points.push(position);
    else runs.push({ closed: position.sealClosed, points: last === undefined ? [position] : [last.points.at(-1) ?? position, position] });
  }
  const lines = runs.map((run) =>
    svg("polyline", {
      class: run.closed ? "route" : "route open",
      points: run.points.map((position) => project(position).join(",")).join(" "),
      fill: "none",
      stroke: run.closed ? "#1f5fa8" : "#b3261e",
      "stroke-width": 3,
      "stroke-linejoin": "round",
      "stroke-linecap": "round",
      "stroke-dasharray": run.closed ? undefined : "6 4",
    }),
  );

  /** @type {(kind: string, position: TrackPosition, title: string, shape: SVGElement, attributes?: Record<string, string>) => SVGElement} */
  const marker = (kind, position, title, shape, attributes = {}) => {
    const [x, y] = project(position);
    return svg("g", { class: `marker ${kind}`, transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`, ...attributes }, svg("title", {}, title), shape);
  };
  const first = track[0];
  const last = track[track.length - 1];
  if (first === undefined || last === undefined) throw new Error("a track to draw has at least one reading");
  const start = marker(
    "start",
    first,
    `Sealed at ${trip.origin}: first reading ${formatTime(first.time)}`,
    svg("circle", { r: 7, fill: "#1b7a3d", stroke: "white", "stroke-width": 2 }),
  );
  const end = marker(
    "end",
    last,
    trip.arrivedAt === null
      ? `Last reading ${formatTime(last.time)}, on the way to ${trip.destination}`
      : `Unsealed at ${trip.destination}: last reading ${formatTime(last.time)}`,
    svg("rect", { x: -6, y: -6, width: 12, height: 12, fill: trip.arrivedAt === null ? "#5b6b7c" : "#1d2733", stroke: "white", "stroke-width": 2 }),
  );
  const alerts = trip.alerts.map((alert) =>
    marker(
      "alert",
      nearest(track, alert.time),
      `${alert.alert}${alert.detail ? `: ${visibleControls(alert.detail)}` : ""} · ${formatTime(alert.time)}`,
      svg("path", { d: "M0,-9 L8,6 L-8,6 Z", fill: alert.alert === "OPENED" ? "#b3261e" : "#9a6700", stroke: "white", "stroke-width": 1.5 }),
      { "data-alert": alert.alert },
    ),
  );

  const kmPerPixel = KM_PER_DEGREE / scale;
  const km = roundKm(kmPerPixel * (WIDTH / 4));
  const bar = km / kmPerPixel;
  const scaleBar = svg(
    "g",
    { class: "scale", transform: `translate(${MARGIN},${HEIGHT - 14})` },
    svg("path", { d: `M0,-6 V0 H${bar.toFixed(1)} V-6`, fill: "none", stroke: "#1d2733", "stroke-width": 1.5 }),
    svg("text", { x: bar + 6, y: 0, "font-size": 11, fill: "#1d2733" }, `${km} km`),
  );
  return h(
    "div",
    { class: "graph track" },
    svg(
      "svg",
      { width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": `Track of seal ${trip.seal}` },
      svg("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, fill: "#f7f9fb", stroke: "#d5dde6" }),
      ...lines,
      start,
      ...alerts,
      end,
      scaleBar,
    ),
  );
}
