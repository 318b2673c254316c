// Ops glance: the gateway's own /metrics, summarised; throughput is the change between two reads.

import { get } from "./api.js";
import { h, errorBox } from "./util.js";

const REFRESH_MS = 5000;

const ABSENT = "not exported by this gateway";
const missing = (value) => value === undefined || value === null;
function fmt(value, digits = 0) {
  return missing(value) ? "—" : Number(value).toFixed(digits);
}

export function opsView(main) {
  const cards = h("div", { class: "cards" });
  const table = h("div", { class: "table-wrap" });
  const note = h("p", { class: "intro" });
  let timer = null;
  let previous = null;
  main.replaceChildren(h("h1", {}, "Ops glance"),
    h("p", { class: "intro" }, "From the metrics this gateway exports on /metrics (what Prometheus scrapes), for all accounts. ",
      "Workers export their own metrics; see Grafana for the full picture."), cards, note, h("h2", {}, "All Harken metrics"), table);

  function card(label, value, hint) {
    return h("div", { class: "stat", role: "group", "aria-label": label },
      h("div", { class: "stat-value" }, value), h("div", { class: "stat-label" }, label), hint ? h("div", { class: "hint" }, hint) : null);
  }

  async function load() {
    let data;
    try { data = await get("ops"); } catch (err) { cards.replaceChildren(errorBox(err)); return; }
    const c = data.cards || {};
    const now = Date.now();
    let throughput = null;
    if (previous && c.jobs_completed !== undefined) {
      const minutes = (now - previous.at) / 60000;
      throughput = ((c.jobs_completed - (previous.c.jobs_completed || 0)) / minutes).toFixed(1) + " / min";
    }
    previous = { at: now, c };
    cards.replaceChildren(
      card("Queue depth", fmt(c.queue_depth), missing(c.queue_depth) ? ABSENT : c.queue_metric),
      card("Running jobs", fmt(c.running_jobs), missing(c.running_jobs) ? ABSENT : c.running_metric),
      card("Jobs completed", fmt(c.jobs_completed), missing(c.jobs_completed) ? ABSENT
        : (throughput ? `throughput ${throughput}` : "throughput: after the next refresh")),
      card("Jobs failed", fmt(c.jobs_failed), missing(c.jobs_failed) ? ABSENT : null),
      card("API requests", fmt(c.requests)),
      card("Server errors (5xx)", fmt(c.server_errors)),
      card("Client errors (4xx)", fmt(c.client_errors)),
      card("Mean API latency", missing(c.mean_latency_ms) ? "—" : `${fmt(c.mean_latency_ms, 1)} ms`));
    note.textContent = `Updated ${new Date(now).toLocaleTimeString()}; refreshes every ${REFRESH_MS / 1000} s.`;
    const rows = [];
    for (const fam of data.families || []) {
      for (const s of fam.samples) {
        const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(", ");
        rows.push(h("tr", {}, h("th", { scope: "row" }, s.name), h("td", {}, labels), h("td", { class: "num" }, Number(s.value).toLocaleString())));
      }
    }
    table.replaceChildren(h("table", {}, h("caption", { class: "sr-only" }, "Metric samples"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Metric"), h("th", { scope: "col" }, "Labels"), h("th", { scope: "col" }, "Value"))),
      h("tbody", {}, rows)));
    timer = setTimeout(load, REFRESH_MS);
  }
  load();
  return () => clearTimeout(timer);
}
