// The uprooted workspace: map, list, timeline, evidence and review over the /api of the same server.
// Every text that comes from a document or the store is put on the page with textContent (never as
// markup), so an article holding <script> or onerror= shows as the letters it is. The view and the
// filters live in the URL's query string, so a view can be shared by its address.
"use strict";

const FILTERS = ["country", "since", "until", "term", "kind", "min_confidence", "review", "group"];
const COLOURS = {idps: "#d95f02", refugees: "#1b9e77", returnees: "#7570b3", housing: "#e7298a", other: "#666666"};
const state = {meta: null, figures: [], events: [], map: null, layer: null, figure: null};

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "class") node.className = value;
    else if (key === "data") Object.entries(value).forEach(([k, v]) => { node.dataset[k] = v; });
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function status(message, isError) {
  const node = document.getElementById("status");
  node.textContent = message || "";
  node.className = isError ? "error" : "";
}

function params() { return new URLSearchParams(window.location.search); }

function filterQuery() {
  const out = new URLSearchParams();
  const p = params();
  for (const name of FILTERS) {
    for (const value of p.getAll(name)) {
      if (name === "country") value.split(/[\s,]+/).filter(Boolean).forEach((c) => out.append(name, c));
      else if (value) out.append(name, value);
    }
  }
  return out;
}

function setParams(changes, push) {
  const p = params();
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === "") p.delete(key); else p.set(key, value);
  }
  const url = window.location.pathname + (p.toString() ? "?" + p.toString() : "");
  if (push) window.history.pushState(null, "", url); else window.history.replaceState(null, "", url);
}

async function api(path, options) {
  const opts = Object.assign({headers: {}}, options || {});
  const token = sessionStorage.getItem("uprooted-token");
  if (token) opts.headers.Authorization = "Bearer " + token;
  if (opts.json !== undefined) {
    opts.method = opts.method || "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(opts.json);
  }
  const resp = await fetch(path, opts);
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail || body);
    const error = new Error(`refused (${resp.status}): ${detail}`);
    error.status = resp.status;
    throw error;
  }
  return body;
}

function place(item) {
  const loc = item.location || {};
  return loc.name || loc.mention || "";
}

function period(item) {
  if (!item.date_start && !item.date_end) return item.published ? `(published ${item.published})` : "";
  return item.date_start === item.date_end || !item.date_end ? item.date_start : `${item.date_start || "…"} – ${item.date_end}`;
}

function number(value) { return Number(value).toLocaleString("en"); }

// ---- map -------------------------------------------------------------------------------------

function initMap() {
  const map = L.map("map", {worldCopyJump: true, preferCanvas: false}).setView([15, 20], 2);
  if (state.meta.tiles_url) {
    L.tileLayer(state.meta.tiles_url, {maxZoom: 18}).addTo(map);
  } else {
    fetch("/static/vendor/countries-110m.json").then((r) => r.json()).then((topo) => {
      const countries = topojson.feature(topo, topo.objects.countries);
      countries.features = countries.features.filter((f) => f.id !== "010").map(unwrap);  // no Antarctica
      L.geoJSON(countries, {interactive: false, style: {color: "#9aa5b1", weight: 0.6, fillColor: "#f4f1ea",
                                                       fillOpacity: 1}}).addTo(map).bringToBack();
    });
  }
  state.map = map;
  state.layer = L.layerGroup().addTo(map);
}

function unwrap(feature) {
  // A ring that crosses the antimeridian (eastern Russia, Fiji) would be drawn as a band round the
  // world: its western longitudes are moved past 180 instead.
  const fix = (ring) => (ring.some(([x]) => x > 170) && ring.some(([x]) => x < -170)
    ? ring.map(([x, y]) => [x < 0 ? x + 360 : x, y]) : ring);
  const g = feature.geometry;
  if (g && g.type === "Polygon") g.coordinates = g.coordinates.map(fix);
  if (g && g.type === "MultiPolygon") g.coordinates = g.coordinates.map((poly) => poly.map(fix));
  return feature;
}

function radius(value) { return Math.max(4, Math.min(30, 2 + Math.sqrt(Number(value) || 0) / 6)); }

function drawMap() {
  state.layer.clearLayers();
  const bounds = [];
  for (const item of state.figures) {
    const loc = item.location || {};
    if (loc.lat === null || loc.lat === undefined || loc.lon === null || loc.lon === undefined) continue;
    const colour = COLOURS[item.term_group] || COLOURS.other;
    const marker = L.circleMarker([loc.lat, loc.lon], {radius: radius(item.value), color: colour, fillColor: colour,
                                                      fillOpacity: 0.45, weight: 1.5, className: "marker-figure"});
    // An element, not a string: Leaflet puts a string in as markup, and a place can be a document's words.
    marker.bindTooltip(el("span", {class: "marker-tip"}, `${number(item.value)} ${item.term} — ${place(item)}`));
    marker.on("click", () => openFigure(item.id, true));
    marker.addTo(state.layer);
    bounds.push([loc.lat, loc.lon]);
  }
  for (const item of state.events) {
    const loc = item.location || {};
    if (loc.lat === null || loc.lat === undefined) continue;
    const marker = L.circleMarker([loc.lat, loc.lon], {radius: Math.max(5, radius(item.fatalities || 0)), color: "#222",
                                                      fillColor: "#fff", fillOpacity: 0.9, weight: 2, dashArray: "2 2",
                                                      className: "marker-event"});
    marker.bindPopup(() => el("div", {class: "event-popup"},
      el("strong", {}, item.sub_event_type.replaceAll("_", " ")), el("br"), period(item), el("br"),
      el("span", {}, item.evidence)));
    marker.addTo(state.layer);
  }
  if (bounds.length) state.map.fitBounds(bounds, {padding: [30, 30], maxZoom: 7});
}

// ---- list ------------------------------------------------------------------------------------

function drawList() {
  const body = document.querySelector("#list tbody");
  body.replaceChildren(...state.figures.map((item) => el("tr", {class: "figure-row", data: {id: item.id},
      onclick: () => openFigure(item.id, true)},
    el("td", {class: "num"}, number(item.value), " ", item.unit === "person" ? "" : item.unit),
    el("td", {}, el("span", {class: "swatch " + item.term_group}), item.term.replaceAll("_", " ")),
    el("td", {}, place(item)), el("td", {}, period(item)),
    el("td", {class: "review-" + item.review}, item.review === "none" ? "" : item.review))));
  document.getElementById("list-title").textContent =
    `Figures (${state.figures.length}${state.total > state.figures.length ? " of " + state.total : ""})`;
}

// ---- timeline --------------------------------------------------------------------------------

function drawTimeline() {
  const by = document.getElementById("timeline-by").value;
  const box = document.getElementById("timeline");
  const rows = {};
  for (const item of state.figures) {
    const day = item.date_end || item.date_start || item.published;
    if (!day) continue;
    const key = by === "group" ? (item.group || "no group") : ((item.location || {}).iso3 || "no country");
    (rows[key] = rows[key] || []).push(Object.assign({day: new Date(day.length === 4 ? day + "-07-01" : day)}, item));
  }
  const keys = Object.keys(rows).sort((a, b) => rows[b].length - rows[a].length).slice(0, 12);
  const ns = "http://www.w3.org/2000/svg";
  const svg = (tag, attrs) => {
    const node = document.createElementNS(ns, tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  };
  box.replaceChildren();
  for (const key of keys) {
    const items = rows[key].sort((a, b) => a.day - b.day);
    const t0 = items[0].day.getTime(), t1 = Math.max(items[items.length - 1].day.getTime(), t0 + 864e5);
    const top = Math.max(...items.map((i) => Number(i.value) || 0), 1);
    const width = 760, height = 120, x = (t) => 40 + (t - t0) / (t1 - t0) * (width - 60);
    const y = (v) => height - 20 - (v / top) * (height - 35);
    const chart = svg("svg", {viewBox: `0 0 ${width} ${height}`, class: "timeline-chart"});
    chart.append(svg("line", {x1: 40, y1: height - 20, x2: width - 20, y2: height - 20, class: "axis"}));
    const stocks = {};
    for (const item of items) {
      if (item.kind === "stock") (stocks[item.term_group] = stocks[item.term_group] || []).push(item);
      else {
        const bar = svg("rect", {x: x(item.day.getTime()) - 3, y: y(Number(item.value)), width: 6,
                                 height: height - 20 - y(Number(item.value)), class: "flow " + item.term_group});
        const title = svg("title", {});
        title.textContent = `${number(item.value)} ${item.term} (flow) ${period(item)}`;
        bar.append(title);
        bar.addEventListener("click", () => openFigure(item.id, true));
        chart.append(bar);
      }
    }
    for (const [group, items2] of Object.entries(stocks)) {
      const points = items2.map((i) => `${x(i.day.getTime())},${y(Number(i.value))}`).join(" ");
      chart.append(svg("polyline", {points, class: "stock " + group}));
      for (const item of items2) {
        const dot = svg("circle", {cx: x(item.day.getTime()), cy: y(Number(item.value)), r: 3.5, class: "stock " + group});
        const title = svg("title", {});
        title.textContent = `${number(item.value)} ${item.term} (stock) ${period(item)}`;
        dot.append(title);
        dot.addEventListener("click", () => openFigure(item.id, true));
        chart.append(dot);
      }
    }
    const label = (text, lx, ly, anchor) => {
      const node = svg("text", {x: lx, y: ly, "text-anchor": anchor || "start"});
      node.textContent = text;
      chart.append(node);
    };
    label(number(top), 36, 18, "end");
    label(items[0].day.toISOString().slice(0, 10), 40, height - 5);
    label(new Date(t1).toISOString().slice(0, 10), width - 20, height - 5, "end");
    box.append(el("section", {class: "timeline-row"}, el("h3", {}, `${key} · ${items.length} figure(s)`), chart));
  }
  if (!keys.length) box.append(el("p", {}, "No dated figure in this view."));
}

// ---- evidence and review ---------------------------------------------------------------------

function markedText(text, highlights) {
  // Offsets split the text into plain runs and <mark> runs; every run is a text node.
  const evidence = highlights.find((h) => h.kind === "evidence");
  const inner = highlights.filter((h) => h.kind !== "evidence").sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  const push = (end) => { if (end > at) out.push(document.createTextNode(text.slice(at, end))); at = Math.max(at, end); };
  if (!evidence) return [document.createTextNode(text)];
  push(evidence.start);
  const sentence = el("span", {class: "hl-evidence"});
  let pos = evidence.start;
  for (const h of inner) {
    if (h.start < pos || h.end > evidence.end) continue;
    if (h.start > pos) sentence.append(text.slice(pos, h.start));
    sentence.append(el("mark", {class: "hl-" + h.kind, title: h.kind}, text.slice(h.start, h.end)));
    pos = h.end;
  }
  if (evidence.end > pos) sentence.append(text.slice(pos, evidence.end));
  out.push(sentence);
  at = evidence.end;
  out.push(document.createTextNode(text.slice(at)));
  return out;
}

function fact(dl, name, value) {
  if (value === null || value === undefined || value === "") return;
  dl.append(el("dt", {}, name), el("dd", {}, value));
}

function drawEvidence(detail) {
  const f = detail.figure;
  document.getElementById("ev-title").textContent =
    `${number(f.quantity.value)} ${f.unit}: ${f.term.replaceAll("_", " ")}`;
  const dl = document.getElementById("ev-facts");
  dl.replaceChildren();
  fact(dl, "id", f.id);
  fact(dl, "quantity", f.quantity.text);
  fact(dl, "kind", f.kind);
  fact(dl, "places", (f.locations || []).map((l) => `${l.name || l.mention} (${l.role}${l.iso3 ? ", " + l.iso3 : ""})`).join("; "));
  fact(dl, "date", f.date ? `${f.date.start || "…"} – ${f.date.end || "…"}` : "");
  fact(dl, "source", f.source ? f.source.name : "");
  fact(dl, "confidence", f.confidence);
  fact(dl, "review", detail.review);
  const doc = detail.document;
  const source = document.getElementById("ev-source");
  source.replaceChildren(doc.title || doc.doc_id, doc.published ? ` · ${doc.published}` : "");
  if (doc.url && /^https?:\/\//i.test(doc.url)) {
    source.append(" · ", el("a", {href: doc.url, rel: "noopener noreferrer", target: "_blank"}, "original"));
  }
  const textBox = document.getElementById("ev-text");
  textBox.replaceChildren(...markedText(doc.text, detail.highlights));
  const evidence = textBox.querySelector(".hl-evidence");
  if (evidence) evidence.scrollIntoView({block: "center"});
  const groupButton = document.getElementById("ev-group-timeline");
  groupButton.hidden = !detail.group.id;
  groupButton.onclick = () => {
    document.getElementById("timeline-by").value = "group";
    setParams({group: detail.group.id, view: "timeline", figure: null}, true);
    closeFigure(false);
    route();
    loadData().catch((err) => status(err.message, true));
  };
  document.getElementById("ev-why").textContent = detail.group.group_why || detail.group.why || "(no group yet: run uprooted aggregate)";
  document.getElementById("ev-group").replaceChildren(...detail.group.members.map((m) => el("li",
    {class: m.id === f.id ? "self" : "", onclick: () => openFigure(m.id, true)},
    `${number(m.value)} ${m.term.replaceAll("_", " ")} · ${m.published || ""}${m.recommended ? " · recommended" : ""}`)));
  document.getElementById("ev-log").replaceChildren(...detail.decisions.map((d) => el("li", {class: "decision"},
    `${d.at} · ${d.action} by ${d.reviewer || "?"}`, d.edit ? ` · ${JSON.stringify(d.edit)}` : "",
    d.previous ? ` · before: ${JSON.stringify(d.previous)}` : "", d.note ? ` · “${d.note}”` : "")));
}

async function openFigure(id, push) {
  state.figure = id;
  if (push) setParams({figure: id}, true);
  document.getElementById("list-panel").hidden = true;
  document.getElementById("evidence").hidden = false;
  try {
    drawEvidence(await api("/api/figures/" + encodeURIComponent(id)));
    document.querySelectorAll("#list tr.selected").forEach((r) => r.classList.remove("selected"));
  } catch (err) {
    status(err.message, true);
  }
}

function closeFigure(push) {
  state.figure = null;
  if (push) setParams({figure: null}, true);
  document.getElementById("evidence").hidden = true;
  document.getElementById("list-panel").hidden = false;
}

async function review(path, json) {
  try {
    const detail = await api("/api/figures/" + encodeURIComponent(state.figure) + path, {json});
    drawEvidence(detail);
    status(`${json.action || path.slice(1)} recorded for ${state.figure}`);
    await loadData();
  } catch (err) {
    status(err.message, true);
  }
}

// ---- triage and paste --------------------------------------------------------------------------

async function drawTriage() {
  const body = await api("/api/triage?" + filterQuery().toString() + "&per_page=200");
  document.getElementById("triage").replaceChildren(...body.items.map((item) => el("li", {class: "triage-item",
      data: {id: item.id}, onclick: () => openFigure(item.id, true)},
    `${number(item.value)} ${item.term.replaceAll("_", " ")} · ${place(item)} · ${period(item)} · confidence ${item.confidence}`)));
}

async function paste(event) {
  event.preventDefault();
  const url = document.getElementById("paste-url").value.trim();
  const text = document.getElementById("paste-text").value;
  const published = document.getElementById("paste-published").value || null;
  status("extracting…");
  try {
    const body = await api("/api/extract", {json: url ? {url, published} : {text, published}});
    const rows = body.records.filter((r) => r.type !== "document" && r.type !== "place").map((r) => el("tr",
      {class: "record-" + r.type},
      el("td", {}, r.type),
      el("td", {}, r.type === "figure" ? `${number(r.quantity.value)} ${r.unit} ${r.term} · ${(r.locations || []).map((l) => l.name || l.mention).join(", ")}`
        : r.type === "event" ? r.sub_event_type : r.error || ""),
      el("td", {}, r.evidence ? r.evidence.text : "")));
    document.querySelector("#paste-records tbody").replaceChildren(...rows);
    status(`${body.records.filter((r) => r.type === "figure").length} figure(s) found`);
  } catch (err) {
    status(err.message, true);
  }
}

// ---- state ------------------------------------------------------------------------------------

function showView() {
  const view = params().get("view") || "map";
  document.querySelectorAll(".view").forEach((s) => { s.hidden = s.id !== "view-" + view; });
  document.querySelectorAll("#views button").forEach((b) => b.classList.toggle("active", b.dataset.view === view));
  if (view === "map" && state.map) state.map.invalidateSize();
  if (view === "timeline") drawTimeline();
  if (view === "triage") drawTriage().catch((err) => status(err.message, true));
}

function formFromUrl() {
  const form = document.getElementById("filters");
  const p = params();
  for (const name of FILTERS) form.elements[name].value = p.getAll(name).join(",");
  for (const fmt of ["csv", "hxl", "geojson"]) {
    document.getElementById("dl-" + fmt).href = `/api/export.${fmt}?` + filterQuery().toString();
  }
}

function fetchData() {
  const query = filterQuery().toString();
  return Promise.all([api("/api/figures?per_page=5000&" + query), api("/api/events?per_page=5000&" + query)]);
}

async function loadData(fetched) {
  const [figures, events] = await (fetched || fetchData());
  state.figures = figures.items;
  state.total = figures.total;
  state.events = events.items;
  drawList();
  drawMap();
  if ((params().get("view") || "map") === "timeline") drawTimeline();
  if (params().get("view") === "triage") await drawTriage();
  document.body.dataset.loaded = "true";
  performance.mark("uprooted-data-drawn");
}

async function route() {
  formFromUrl();
  showView();
  const figure = params().get("figure");
  if (figure && figure !== state.figure) openFigure(figure, false);
  if (!figure && state.figure) closeFigure(false);
}

async function start() {
  const first = fetchData();  // asked for at once, while the page sets itself up
  first.catch(() => {});  // a refusal is reported once, by the meta request below
  state.meta = await api("/api/meta");
  const terms = Object.keys(state.meta.term_groups).sort();
  for (const select of [document.querySelector("#filters [name=term]"), document.querySelector("#correct-form [name=term]")]) {
    select.append(...terms.map((t) => el("option", {value: t}, t.replaceAll("_", " "))));
  }
  document.getElementById("filters").addEventListener("change", async (event) => {
    const field = event.target;
    if (!FILTERS.includes(field.name)) return;
    setParams({[field.name]: field.value.trim()}, true);
    formFromUrl();
    await loadData().catch((err) => status(err.message, true));
  });
  document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());
  document.querySelectorAll("#views button").forEach((b) => b.addEventListener("click", () => {
    setParams({view: b.dataset.view === "map" ? null : b.dataset.view}, true);
    showView();
  }));
  document.getElementById("timeline-by").addEventListener("change", drawTimeline);
  document.getElementById("evidence-close").addEventListener("click", () => closeFigure(true));
  document.getElementById("accept").addEventListener("click", () => review("/decisions", {action: "accept"}));
  document.getElementById("reject").addEventListener("click", () => review("/decisions", {action: "reject"}));
  document.getElementById("split").addEventListener("click", () => review("/split", {}));
  document.getElementById("merge-form").addEventListener("submit", (event) => {
    event.preventDefault();
    review("/merge", {into: event.target.elements.into.value.trim()});
  });
  document.getElementById("correct-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target.elements;
    const changes = {};
    if (form.value.value) changes.value = Number(form.value.value);
    for (const name of ["term", "unit", "place", "date"]) if (form[name].value) changes[name] = form[name].value;
    review("/decisions", {action: "correct", changes, note: form.note.value || null});
  });
  document.getElementById("paste-form").addEventListener("submit", paste);
  window.addEventListener("popstate", () => { route(); loadData().catch((err) => status(err.message, true)); });
  initMap();
  await route();
  await loadData(first);
  status("");
}

function main() {
  // Where reads need a token too, the first requests are refused until one is given: giving it starts the page.
  const token = document.getElementById("token");
  token.value = sessionStorage.getItem("uprooted-token") || "";
  token.addEventListener("change", () => {
    sessionStorage.setItem("uprooted-token", token.value.trim());
    if (!state.meta) start().catch((err) => status(err.message, true));
  });
  start().catch((err) => status(err.message, true));
}

main();
