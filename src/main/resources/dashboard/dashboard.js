// Driftline dashboard: alerts and model statuses arrive as server-sent events (/api/events), the
// model table is polled (/api/models), a device's view is fetched when asked (/api/devices/{id}).
// No build step and no libraries: it must be served as is by every instance.
"use strict";

const MAX_ALERTS = 300;
const COLOURS = ["#88c0d0", "#a3be8c", "#ebcb8b", "#d08770", "#b48ead", "#5e81ac", "#bf616a", "#8fbcbb"];
const NS = "http://www.w3.org/2000/svg";
const MARGIN = { left: 58, right: 14, top: 18, bottom: 36 };
const SECOND = 1000, MINUTE = 60 * SECOND, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
const TIME_STEPS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE,
  5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 20 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY,
  2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY, 90 * DAY, 180 * DAY, 365 * DAY];
const TIME_LABEL_WIDTH = 120;    // a "2026-01-01 08:30" label and some space
const statuses = new Map();      // model -> [{t, windowAccuracy, peak}]
const alertQuality = new Map();  // model -> its latest status's alertQuality (per machine type)
const drifts = [];               // {t, model, kind}
const seenAlerts = new Set();
const openEpisodes = new Map();  // device -> its FAILURE_RISK alert
let alertCount = 0;
let shownDevice = null;
let changed = true;              // redraw only when something arrived, so that hovering is not interrupted

function colour(model) {
  const models = [...statuses.keys()].sort();
  return COLOURS[Math.max(0, models.indexOf(model)) % COLOURS.length];
}

// ---- Axes -----------------------------------------------------------------------------------

/** Times at whole multiples of a step (UTC), at most maxTicks, all within [t0, t1]. */
function timeTicks(t0, t1, maxTicks) {
  if (t1 <= t0) return { step: MINUTE, ticks: [t0] };
  for (const step of TIME_STEPS) {
    const first = Math.ceil(t0 / step) * step;
    const count = first > t1 ? 0 : Math.floor((t1 - first) / step) + 1;
    if (count <= maxTicks) {
      const ticks = [];
      for (let t = first; t <= t1; t += step) ticks.push(t);
      return ticks.length > 0 ? { step, ticks } : { step, ticks: [t0] };
    }
  }
  return { step: TIME_STEPS[TIME_STEPS.length - 1], ticks: [t0] };
}

/** Event time as "2026-01-01 08:30" (UTC), with seconds when the ticks are less than a minute apart. */
function formatTime(t, step) {
  const iso = new Date(t).toISOString();
  return iso.slice(0, 10) + " " + iso.slice(11, step < MINUTE ? 19 : 16);
}

/** Values at multiples of 1, 2, 2.5 or 5 times a power of ten, about five, all within [v0, v1]. */
function valueTicks(v0, v1) {
  if (!(v1 > v0)) return { decimals: 2, ticks: [v0] };
  const raw = (v1 - v0) / 5;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const factor = [1, 2, 2.5, 5, 10].find(f => f * magnitude >= raw);
  const step = factor * magnitude;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + (factor === 2.5 ? 1 : 0));
  const ticks = [];
  for (let i = Math.ceil(v0 / step - 1e-9); i * step <= v1 + step * 1e-9; i++) {
    ticks.push(Number((i * step).toFixed(decimals)));
  }
  return { decimals, ticks: ticks.filter(v => v >= v0 - step * 1e-9 && v <= v1 + step * 1e-9) };
}

function svgElement(name, attributes, text) {
  const element = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * A line chart with a time axis (event time, UTC) and a value axis fitted to the data, each with
 * ticks labelled inside the plotted data's range, gridlines, unit, and hover values.
 * series: [{name, colour, points: [{t, v}]}]; options: {title, unit, min, max, markers: [{t, colour, symbol}]}
 */
function lineChart(svg, series, options) {
  const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
  svg.replaceChildren();
  const plotted = series.map(s => ({ ...s, points: s.points.filter(p => Number.isFinite(p.v) && Number.isFinite(p.t)) }))
    .filter(s => s.points.length > 0);
  const all = plotted.flatMap(s => s.points);
  if (all.length === 0) {
    svg.append(svgElement("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" }, "no data yet"));
    return;
  }
  const t0 = Math.min(...all.map(p => p.t)), t1 = Math.max(...all.map(p => p.t));
  const v0 = Math.min(...all.map(p => p.v)), v1 = Math.max(...all.map(p => p.v));
  // The domain holds the data with a margin (clamped to the quantity's bounds); ticks stay within the data.
  const tPad = t1 > t0 ? (t1 - t0) * 0.02 : 30 * SECOND;
  const vPad = v1 > v0 ? (v1 - v0) * 0.08 : Math.max(Math.abs(v0) * 0.05, 0.01);
  const domain = { t0: t0 - tPad, t1: t1 + tPad, v0: Math.max(options.min ?? -Infinity, v0 - vPad),
    v1: Math.min(options.max ?? Infinity, v1 + vPad) };
  if (domain.v1 <= domain.v0) { domain.v0 = v0 - vPad; domain.v1 = v1 + vPad; }
  const left = MARGIN.left, right = width - MARGIN.right, top = MARGIN.top, bottom = height - MARGIN.bottom;
  const x = t => left + (t - domain.t0) / (domain.t1 - domain.t0) * (right - left);
  const y = v => bottom - (v - domain.v0) / (domain.v1 - domain.v0) * (bottom - top);

  const time = timeTicks(t0, t1, Math.max(3, Math.floor((right - left) / TIME_LABEL_WIDTH)));
  for (const t of time.ticks) {
    svg.append(svgElement("line", { x1: x(t), x2: x(t), y1: top, y2: bottom, class: "grid" }));
    svg.append(svgElement("text", { x: x(t), y: bottom + 13, "text-anchor": "middle", class: "tick-x",
      "data-at": x(t) }, formatTime(t, time.step)));
  }
  const values = valueTicks(v0, v1);
  const unit = options.unit ? " " + options.unit : "";
  for (const v of values.ticks) {
    svg.append(svgElement("line", { x1: left, x2: right, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(svgElement("text", { x: left - 5, y: y(v) + 3, "text-anchor": "end", class: "tick-y", "data-at": y(v) },
      v.toFixed(values.decimals) + unit));
  }
  svg.append(svgElement("line", { x1: left, x2: right, y1: bottom, y2: bottom, class: "axis" }));
  svg.append(svgElement("line", { x1: left, x2: left, y1: top, y2: bottom, class: "axis" }));
  svg.append(svgElement("text", { x: (left + right) / 2, y: height - 4, "text-anchor": "middle", class: "axis-title" },
    "event time (UTC)"));
  svg.append(svgElement("text", { x: 10, y: (top + bottom) / 2, "text-anchor": "middle", class: "axis-title",
    transform: `rotate(-90 10 ${(top + bottom) / 2})` }, options.title));

  for (const s of plotted) {
    svg.append(svgElement("polyline", { fill: "none", stroke: s.colour, "stroke-width": 1.5, "data-series": s.name,
      "data-t": s.points.map(p => p.t).join(","), "data-v": s.points.map(p => p.v).join(","),
      points: s.points.map(p => x(p.t).toFixed(1) + "," + y(p.v).toFixed(1)).join(" ") }));
  }
  for (const marker of options.markers || []) {
    if (marker.t < t0 || marker.t > t1) continue;
    svg.append(svgElement("text", { x: x(marker.t), y: top - 4, "text-anchor": "middle", class: "marker",
      style: "fill:" + marker.colour }, marker.symbol));
  }
  hover(svg, plotted, { x, domain, left, right, top, bottom, step: time.step, decimals: values.decimals + 1, unit });
}

/** A cursor line and a tooltip with each series' value nearest the pointer's time. */
function hover(svg, plotted, scale) {
  const cursor = svgElement("line", { y1: scale.top, y2: scale.bottom, class: "cursor", visibility: "hidden" });
  const area = svgElement("rect", { x: scale.left, y: scale.top, width: scale.right - scale.left,
    height: scale.bottom - scale.top, fill: "transparent", class: "hover-area" });
  svg.append(cursor, area);
  const tooltip = document.getElementById("tooltip");
  area.addEventListener("mousemove", event => {
    const box = svg.getBoundingClientRect();
    const viewX = (event.clientX - box.left) / box.width * svg.viewBox.baseVal.width;
    const t = scale.domain.t0 + (viewX - scale.left) / (scale.right - scale.left) * (scale.domain.t1 - scale.domain.t0);
    const lines = [];
    let nearestT = null;
    for (const s of plotted) {
      const nearest = s.points.reduce((a, b) => Math.abs(b.t - t) < Math.abs(a.t - t) ? b : a);
      if (nearestT === null || Math.abs(nearest.t - t) < Math.abs(nearestT - t)) nearestT = nearest.t;
      lines.push(s.name + "  " + nearest.v.toFixed(scale.decimals) + scale.unit + "  (" + formatTime(nearest.t, SECOND) + ")");
    }
    cursor.setAttribute("x1", scale.x(nearestT));
    cursor.setAttribute("x2", scale.x(nearestT));
    cursor.setAttribute("visibility", "visible");
    tooltip.textContent = formatTime(t, SECOND) + "\n" + lines.join("\n");
    tooltip.style.left = (event.clientX + 14) + "px";
    tooltip.style.top = (event.clientY + 14) + "px";
    tooltip.hidden = false;
  });
  area.addEventListener("mouseleave", () => {
    cursor.setAttribute("visibility", "hidden");
    tooltip.hidden = true;
  });
}

// ---- Feed -----------------------------------------------------------------------------------

function addAlert(alert) {
  if (seenAlerts.has(alert.alertId)) return;   // history and live stream may overlap
  seenAlerts.add(alert.alertId);
  alertCount++;
  changed = true;
  if (alert.kind === "CONCEPT_DRIFT" || alert.kind === "DATA_DRIFT") {
    drifts.push({ t: Date.parse(alert.eventTime), model: alert.modelKey, kind: alert.kind });
  }
  if (alert.kind === "FAILURE_RISK" && alert.deviceId) openEpisodes.set(alert.deviceId, alert);
  if (alert.kind === "FAILURE_RISK_CLEARED" && alert.deviceId) openEpisodes.delete(alert.deviceId);
  const item = document.createElement("li");
  item.className = "alert " + alert.severity;
  item.dataset.kind = alert.kind;
  const kind = document.createElement("span");
  kind.className = "kind";
  kind.textContent = alert.kind;
  const time = document.createElement("time");
  time.textContent = alert.eventTime;
  const text = document.createElement("span");
  text.textContent = alert.message;
  item.append(kind, time, document.createElement("br"), text);
  if (alert.deviceId) {
    item.classList.add("has-device");
    item.addEventListener("click", () => showDevice(alert.deviceId));
  }
  const list = document.getElementById("alerts");
  list.prepend(item);
  while (list.children.length > MAX_ALERTS) list.lastChild.remove();
}

function addStatus(status) {
  const points = statuses.get(status.modelKey) || [];
  points.push({ t: Date.parse(status.time), windowAccuracy: status.windowAccuracy, peak: status.peakFailureProbability });
  // Partitions interleave, so statuses may arrive slightly out of event-time order.
  if (points.length > 1 && points[points.length - 1].t < points[points.length - 2].t) points.sort((a, b) => a.t - b.t);
  if (points.length > 720) points.shift();
  statuses.set(status.modelKey, points);
  if (status.alertQuality && status.alertQuality.length > 0) alertQuality.set(status.modelKey, status.alertQuality);
  changed = true;
}

function renderAlertQuality() {
  const number = (v, digits) => v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
  const caught = e => e.caught + e.missed === 0 ? "–" : e.caught + " / " + (e.caught + e.missed);
  const minutes = e => e.medianLeadMs === null ? "–" : (e.medianLeadMs / 60000).toFixed(0);
  const rows = [...alertQuality.entries()].sort().flatMap(([model, types]) => types.map(q => {
    const row = document.createElement("tr");
    const suggestion = q.suggestedRaise !== null ? q.suggestedRaise.toFixed(2) + " (recall " + number(q.suggestionRecall, 2)
      + ", " + number(q.suggestionFalseAlarmsPerMachineDay, 3) + " FA/day)" : q.suggestionNote || "–";
    for (const v of [model, q.machineType, number(q.machineDays, 1), q.failures,
                     caught(q.failureRisk), minutes(q.failureRisk), number(q.failureRisk.falseAlarmsPerMachineDay, 3),
                     caught(q.anomaly), minutes(q.anomaly), number(q.anomaly.falseAlarmsPerMachineDay, 3),
                     number(q.prAuc, 3), number(q.rocAuc, 3),
                     (q.failureRisk.confirmed + q.anomaly.confirmed) + " / " + (q.failureRisk.markedFalse + q.anomaly.markedFalse),
                     (q.failureRisk.undecided || 0) + (q.anomaly.undecided || 0),
                     suggestion]) {
      const cell = document.createElement("td");
      cell.textContent = v;
      row.append(cell);
    }
    if (q.suggestionObjective) row.lastChild.title = "objective: " + q.suggestionObjective;
    return row;
  }));
  if (rows.length > 0) document.querySelector("#alert-quality tbody").replaceChildren(...rows);
}

function modelSeries(value) {
  return [...statuses.entries()].sort().map(([model, points]) =>
    ({ name: model, colour: colour(model), points: points.map(p => ({ t: p.t, v: value(p) })) }));
}

function render() {
  if (!changed) return;
  changed = false;
  const markers = drifts.map(d => ({ t: d.t, colour: colour(d.model), symbol: d.kind === "CONCEPT_DRIFT" ? "▲" : "◆" }));
  lineChart(document.getElementById("accuracy"), modelSeries(p => p.windowAccuracy),
    { title: "window accuracy (%)", unit: "%", min: 0, max: 100, markers });
  lineChart(document.getElementById("risk"), modelSeries(p => p.peak),
    { title: "failure probability", unit: "", min: 0, max: 1 });
  const legend = document.getElementById("legend");
  legend.replaceChildren(...[...statuses.keys()].sort().map(model => {
    const span = document.createElement("span");
    span.style.color = colour(model);
    span.textContent = "■ " + model;
    return span;
  }));
  document.getElementById("counts").textContent = alertCount + " alerts, " + statuses.size + " models";
  renderAtRisk();
  renderAlertQuality();
}

// ---- Devices --------------------------------------------------------------------------------

function renderAtRisk() {
  const list = document.getElementById("at-risk");
  const devices = [...openEpisodes.values()].sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
  if (devices.length === 0) {
    const none = document.createElement("li");
    none.className = "none";
    none.textContent = "none";
    list.replaceChildren(none);
    return;
  }
  list.replaceChildren(...devices.map(alert => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.textContent = alert.deviceId;
    button.dataset.device = alert.deviceId;
    button.addEventListener("click", () => showDevice(alert.deviceId));
    const since = document.createElement("span");
    const probability = Number((alert.details || {}).failureProbability);
    since.textContent = " since " + alert.eventTime + (Number.isFinite(probability) ? " (p " + probability.toFixed(2) + ")" : "");
    item.append(button, since);
    return item;
  }));
}

async function showDevice(id) {
  shownDevice = id;
  document.getElementById("device-id").value = id;
  const panel = document.getElementById("device");
  panel.hidden = false;
  document.getElementById("device-title").textContent = id;
  const response = await fetch("/api/devices/" + encodeURIComponent(id));
  if (id !== shownDevice) return;
  if (!response.ok) {
    document.getElementById("device-probability").textContent = "no recent prediction";
    for (const field of ["device-model", "device-time", "device-episodes"]) document.getElementById(field).textContent = "";
    lineChart(document.getElementById("device-chart"), [], { title: "failure probability" });
    return;
  }
  const device = await response.json();
  const latest = device.latest;
  document.getElementById("device-probability").textContent = latest ? latest.failureProbability.toFixed(3) : "–";
  const anomaly = latest && latest.anomalyScore !== undefined && latest.anomalyScore !== null;
  for (const element of document.querySelectorAll("#device .anomaly")) element.hidden = !anomaly;
  document.getElementById("device-anomaly").textContent = anomaly ? Number(latest.anomalyScore).toFixed(3) : "";
  document.getElementById("device-model").textContent = latest ? latest.modelKey : "–";
  document.getElementById("device-time").textContent = latest ? latest.readingTime : "–";
  document.getElementById("device-episodes").textContent = device.openEpisodes.length === 0 ? "none"
    : device.openEpisodes.map(e => e.modelKey + " since " + e.eventTime).join("; ");
  const series = [{ name: "failure probability", colour: COLOURS[3],
    points: device.recent.map(p => ({ t: Date.parse(p.readingTime), v: p.failureProbability })) }];
  if (device.recent.some(p => p.anomalyScore !== undefined && p.anomalyScore !== null)) {
    series.push({ name: "anomaly score", colour: COLOURS[4],
      points: device.recent.map(p => ({ t: Date.parse(p.readingTime), v: Number(p.anomalyScore) })) });
  }
  lineChart(document.getElementById("device-chart"), series, { title: "probability / score", unit: "", min: 0 });
}

// ---- Polling --------------------------------------------------------------------------------

async function poll() {
  try {
    const ready = await fetch("/ready");
    const badge = document.getElementById("ready");
    badge.textContent = ready.ok ? "running" : "not ready";
    badge.className = "badge " + (ready.ok ? "ok" : "down");
    const models = await fetch("/api/models");
    if (models.ok) {
      const rows = (await models.json()).map(m => {
        const row = document.createElement("tr");
        for (const v of [m.model, m.instance, m.readingsSeen, m.instancesTrained, m.accuracy, m.kappa,
                         m.windowAccuracy, m.windowKappa, m.conceptDrifts, m.dataDrifts]) {
          const cell = document.createElement("td");
          cell.textContent = typeof v === "number" && !Number.isInteger(v) ? v.toFixed(1) : v;
          row.append(cell);
        }
        const lifecycle = document.createElement("td");
        lifecycle.textContent = "v" + m.version + " " + (m.learner ?? "") + Object.entries(m.challengers ?? {})
            .map(([learner, kappa]) => " | " + learner + " κ " + (typeof kappa === "number" ? kappa.toFixed(1) : kappa))
            .join("");
        row.append(lifecycle);
        return row;
      });
      document.querySelector("#models tbody").replaceChildren(...rows);
    }
    if (shownDevice !== null) showDevice(shownDevice);
  } catch (e) {
    document.getElementById("ready").textContent = "unreachable";
  }
}

document.getElementById("device-form").addEventListener("submit", event => {
  event.preventDefault();
  const id = document.getElementById("device-id").value.trim();
  if (id) showDevice(id);
});
const events = new EventSource("/api/events");
events.addEventListener("alert", e => addAlert(JSON.parse(e.data)));
events.addEventListener("status", e => addStatus(JSON.parse(e.data)));
setInterval(render, 1000);
setInterval(poll, 5000);
poll();
