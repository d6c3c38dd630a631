// Driftline dashboard: alerts and model statuses arrive as server-sent events (/api/events), the
// model table is polled (/api/models). No build step and no libraries: it must be served as is by
// every instance.
"use strict";

const MAX_ALERTS = 300;
const COLOURS = ["#88c0d0", "#a3be8c", "#ebcb8b", "#d08770", "#b48ead", "#5e81ac", "#bf616a", "#8fbcbb"];
const statuses = new Map();      // model -> [{t, windowAccuracy, peak}]
const drifts = [];               // {t, model, kind}
const seenAlerts = new Set();
let alertCount = 0;

function colour(model) {
  const models = [...statuses.keys()].sort();
  return COLOURS[Math.max(0, models.indexOf(model)) % COLOURS.length];
}

function addAlert(alert) {
  if (seenAlerts.has(alert.alertId)) return;   // history and live stream may overlap
  seenAlerts.add(alert.alertId);
  alertCount++;
  if (alert.kind === "CONCEPT_DRIFT" || alert.kind === "DATA_DRIFT") {
    drifts.push({ t: Date.parse(alert.eventTime), model: alert.modelKey, kind: alert.kind });
  }
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
}

function chart(svgId, value, min, max) {
  const svg = document.getElementById(svgId);
  const width = 900, height = svg.viewBox.baseVal.height, pad = 4;
  const all = [...statuses.values()].flat().filter(p => Number.isFinite(value(p)));
  svg.replaceChildren();
  if (all.length === 0) return;
  const t0 = Math.min(...all.map(p => p.t)), t1 = Math.max(t0 + 1, ...all.map(p => p.t));
  const x = t => pad + (t - t0) / Math.max(1, t1 - t0) * (width - 2 * pad);
  const y = v => height - pad - (v - min) / (max - min) * (height - 2 * pad);
  const ns = "http://www.w3.org/2000/svg";
  for (const [model, points] of statuses) {
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", colour(model));
    line.setAttribute("stroke-width", "1.5");
    line.setAttribute("points", points.filter(p => Number.isFinite(value(p)))
      .map(p => x(p.t).toFixed(1) + "," + y(value(p)).toFixed(1)).join(" "));
    svg.append(line);
  }
  for (const drift of drifts.filter(d => d.t >= t0 && d.t <= t1)) {
    const mark = document.createElementNS(ns, "text");
    mark.setAttribute("x", x(drift.t));
    mark.setAttribute("y", 12);
    mark.setAttribute("fill", colour(drift.model));
    mark.setAttribute("style", "fill:" + colour(drift.model));
    mark.textContent = drift.kind === "CONCEPT_DRIFT" ? "▲" : "◆";
    svg.append(mark);
  }
}

function render() {
  chart("accuracy", p => p.windowAccuracy, 0, 100);
  chart("risk", p => p.peak, 0, 1);
  const legend = document.getElementById("legend");
  legend.replaceChildren(...[...statuses.keys()].sort().map(model => {
    const span = document.createElement("span");
    span.style.color = colour(model);
    span.textContent = "■ " + model;
    return span;
  }));
  document.getElementById("counts").textContent = alertCount + " alerts, " + statuses.size + " models";
}

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
        return row;
      });
      document.querySelector("#models tbody").replaceChildren(...rows);
    }
  } catch (e) {
    document.getElementById("ready").textContent = "unreachable";
  }
}

const events = new EventSource("/api/events");
events.addEventListener("alert", e => addAlert(JSON.parse(e.data)));
events.addEventListener("status", e => addStatus(JSON.parse(e.data)));
setInterval(render, 1000);
setInterval(poll, 5000);
poll();
