// The leaders' board: plain JavaScript, no library, no network beyond this bot's own /app/api.
"use strict";
const TG = window.Telegram && window.Telegram.WebApp;
const HASH = new URLSearchParams(location.hash.slice(1));
// Telegram passes initData as WebApp.initData, or (before its script loads, or in the sandbox)
// in the URL fragment as tgWebAppData
const INIT = (TG && TG.initData) || HASH.get("tgWebAppData") || "";
const S = {};  // the page's labels, in the reader's language (from /api/me)
const state = { view: "board", area: null, unit: null, me: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "onclick") node.addEventListener("click", v);
    else if (k === "text") node.textContent = v;
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) node.append(kid);
  return node;
}

function theme() {
  let p = (TG && TG.themeParams) || null;
  if (!p) { try { p = JSON.parse(HASH.get("tgWebAppThemeParams") || "null"); } catch (e) { p = null; } }
  if (!p) return;
  const map = { bg_color: "--bg", text_color: "--text", hint_color: "--hint", link_color: "--link",
    button_color: "--button", button_text_color: "--button-text", secondary_bg_color: "--card" };
  for (const [k, v] of Object.entries(map)) if (p[k]) document.documentElement.style.setProperty(v, p[k]);
}

async function api(path, body) {
  const opts = { headers: { Authorization: "tma " + INIT } };
  if (body !== undefined) {
    opts.method = "POST"; opts.body = JSON.stringify(body);
    opts.headers["Content-Type"] = "application/json";
  }
  const r = await fetch("api/" + path, opts);
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(data.error || String(r.status)), { status: r.status });
  return data;
}

function show(...nodes) { $("view").replaceChildren(...nodes.filter((n) => n)); window.scrollTo(0, 0); }

function bar(c) {
  const part = (k) => c[k] ? el("span", { class: k, style: `flex:${c[k]}` }) : null;
  return el("div", { class: "bar" }, part("red"), part("yellow"), part("green"),
    c.closed ? el("span", { style: `flex:${c.closed}` }) : null);
}

function tile(name, c, on, pick, extra) {
  return el("div", { class: "tile" + (on ? " on" : ""), onclick: pick, ...extra },
    el("div", { class: "name", text: name }), bar(c), el("div", { class: "hint", text: c.lights || "✅" }));
}

function items(title, list, more) {
  if (!list.length) return [];
  return [el("h2", { text: title }), ...list.map((m) => el("div", {
    class: "item", "data-id": m.id, onclick: () => openMeasure(m.id) },
  el("div", { text: m.line }), m.answer ? el("div", { class: "answer", text: m.answer }) : null)),
  more ? el("p", { class: "hint", text: more }) : null];
}

async function openBoard() {
  const q = state.area ? "?area=" + state.area : state.unit ? "?unit=" + encodeURIComponent(state.unit) : "";
  const b = await api("board" + q);
  const filtered = state.area || state.unit;
  show(
    el("h1", { id: "title", text: b.programme + " · " + b.as_of + (b.filter ? " · " + b.filter : "") }),
    el("p", { id: "headline", text: b.headline }),
    el("p", { id: "lights", class: "hint", text: b.lights }),
    el("p", { id: "outcomes", class: "hint", text: b.outcomes }),
    filtered ? el("span", { class: "chip", id: "all", text: "✕ " + S.all,
      onclick: () => { state.area = state.unit = null; openBoard(); } }) : null,
    el("h2", { text: S.by_area.replace(/[:：]$/, "") }),
    el("div", { class: "tiles", id: "areas" }, b.areas.map((a) => tile(a.number + ". " + a.name, a,
      state.area === a.number, () => { state.area = a.number; state.unit = null; openBoard(); },
      { "data-area": a.number }))),
    el("h2", { text: S.by_unit }),
    el("div", { class: "tiles", id: "units-tiles" }, b.units.map((u) => tile(u.name, u,
      state.unit === u.name, () => { state.unit = u.name; state.area = null; openBoard(); },
      { "data-unit": u.name }))),
    ...items(S.red_items.replace(/[:：]$/, ""), b.red, b.more_red),
    ...items(S.yellow_items.replace(/[:：]$/, ""), b.yellow, b.more_yellow),
  );
}

async function openMeasure(id) {
  if (!id) return;
  state.view = "measure";
  const m = await api("measure/" + id);
  const L = m.labels;
  const row = (k, v) => v ? [el("dt", { text: k }), el("dd", { text: v })] : [];
  const list = (tag, xs, empty) => xs.length ? el(tag, {}, xs.map((x) => el("li", { text: x }))) : el("p", { class: "hint", text: empty });
  show(
    el("span", { class: "chip", text: "‹ " + S.back, onclick: () => tab("board") }),
    el("h1", { id: "measure-title", text: m.line.split(" ")[0] + " " + m.code }),
    el("p", { id: "measure-text", text: m.text }),
    el("dl", { id: "facts" }, row(L.owner, m.owner), row(L.unit, m.unit), row(L.deadline, m.deadline),
      row(L.original, m.original), row(L.status, [m.status, m.health].filter(Boolean).join(" · "))),
    el("h2", { text: S.latest }), el("p", { id: "latest", text: m.latest || S.none }),
    el("h2", { text: S.requests }), list("ul", m.requests, S.none),
    el("h2", { text: S.outcomes }),
    m.outcomes.length ? el("ul", { id: "rules" }, m.outcomes.map((o) => el("li", { text: o.text }))) : el("p", { class: "hint", text: S.none }),
    el("h2", { text: S.evidence }),
    m.evidence.length ? el("ul", { id: "evidence" }, m.evidence.map((f) => el("li", { text: [f.name, f.date, f.size].filter(Boolean).join(" · ") }))) : el("p", { class: "hint", text: S.no_files }),
    el("h2", { text: S.history }),
    el("ul", { id: "history" }, m.history.map((h) => el("li", { text: h.replace(/^\d+\. /, "") }))),
  );
}

async function openUnits() {
  const d = await api("units");
  show(el("table", { id: "units" },
    el("thead", {}, el("tr", {}, el("th", { text: "" }), el("th", { text: S.on_time }), el("th", { text: S.feedback }), el("th", { text: S.overdue }))),
    el("tbody", {}, d.units.map((u) => el("tr", {}, el("td", { text: u.name }), el("td", { class: "n", text: u.on_time }),
      el("td", { class: "n", text: u.feedback }), el("td", { class: "n", text: String(u.overdue) }))))));
}

function chart(weeks) {
  // closed as bars, red and yellow as lines, one slot per week
  const W = 340, H = 200, pad = { l: 28, r: 8, t: 10, b: 34 };
  const top = Math.max(1, ...weeks.map((w) => Math.max(w.closed, w.red, w.yellow)));
  const slot = (W - pad.l - pad.r) / Math.max(weeks.length, 1);
  const x = (i) => pad.l + slot * (i + 0.5), y = (v) => pad.t + (H - pad.t - pad.b) * (1 - v / top);
  const ns = "http://www.w3.org/2000/svg";
  const s = (tag, attrs, text) => { const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v); if (text !== undefined) n.textContent = text; return n; };
  const svg = s("svg", { id: "chart", viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img" });
  for (const v of [0, Math.round(top / 2), top]) {
    svg.append(s("line", { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), stroke: "currentColor", "stroke-opacity": 0.12 }));
    svg.append(s("text", { x: pad.l - 4, y: y(v) + 4, "text-anchor": "end" }, String(v)));
  }
  weeks.forEach((w, i) => {
    if (w.closed) svg.append(s("rect", { class: "closed", x: x(i) - slot * 0.3, width: slot * 0.6, y: y(w.closed), height: y(0) - y(w.closed), fill: "var(--closed)" }));
  });
  for (const [key, colour] of [["red", "var(--red)"], ["yellow", "var(--yellow)"]]) {
    svg.append(s("polyline", { class: key, fill: "none", stroke: colour, "stroke-width": 2,
      points: weeks.map((w, i) => `${x(i)},${y(w[key])}`).join(" ") }));
    weeks.forEach((w, i) => svg.append(s("circle", { cx: x(i), cy: y(w[key]), r: 2.5, fill: colour })));
  }
  const ends = weeks.length > 1 ? [0, weeks.length - 1] : [0];
  for (const i of ends) svg.append(s("text", { x: i ? W - pad.r : pad.l, y: H - 12, "text-anchor": i ? "end" : "start" }, weeks[i].label));
  return svg;
}

async function openTrend() {
  const d = await api("trend");
  const key = (c, t) => el("span", {}, el("i", { style: "background:" + c }), t);
  show(el("div", { class: "legend" }, key("var(--closed)", S.closed), key("var(--red)", S.red), key("var(--yellow)", S.yellow)),
    chart(d.weeks),
    el("table", { id: "weeks" }, el("tbody", {}, d.weeks.slice().reverse().map((w) => el("tr", {},
      el("td", { text: w.label }), el("td", { class: "n", text: "✅" + w.closed }), el("td", { class: "n", text: "🔴" + w.red }), el("td", { class: "n", text: "🟡" + w.yellow }))))));
}

async function openPending() {
  const d = await api("pending");
  if (!d.requests.length) { show(el("p", { id: "nothing", text: S.nothing_waiting })); return; }
  show(el("div", { id: "pending" }, d.requests.map((r) => {
    const said = el("p", { class: "said" });
    const card = el("div", { class: "request", "data-id": r.id }, el("div", { text: r.text }));
    const decide = async (approve, reason) => {
      const out = await api("pending/" + r.id, { approve, reason });
      said.textContent = out.text;
      if (out.ok || !reason) card.querySelectorAll("button, textarea").forEach((b) => b.remove());
    };
    const back = () => {
      if (card.querySelector("textarea")) return;
      const box = el("textarea", { placeholder: S.reason });
      card.append(box, el("button", { class: "act confirm", text: S.send_back, onclick: () => decide(false, box.value) }));
    };
    card.append(el("div", {}, el("button", { class: "act approve", text: S.approve, onclick: () => decide(true, "") }),
      el("button", { class: "act secondary back", text: S.send_back, onclick: back })), said);
    return card;
  })));
}

const VIEWS = { board: openBoard, units: openUnits, trend: openTrend, pending: openPending };

async function tab(view) {
  state.view = view;
  document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("on", b.dataset.view === view));
  try { await VIEWS[view](); $("status").textContent = ""; }
  catch (e) { $("status").textContent = e.message; }
}

async function main() {
  theme();
  if (TG && TG.ready) TG.ready();
  try {
    state.me = await api("me");
  } catch (e) {
    $("status").textContent = e.status === 403 ? e.message : "⚠️ " + (e.message || "");
    return;
  }
  Object.assign(S, state.me.strings);
  document.documentElement.lang = state.me.lang.replace("_", "-");
  document.title = state.me.programme;
  for (const b of document.querySelectorAll("#tabs button")) {
    b.textContent = S[b.dataset.view];
    b.addEventListener("click", () => tab(b.dataset.view));
  }
  document.querySelector("#tabs [data-view=pending]").hidden = !state.me.coordinator;
  $("tabs").hidden = false;
  window.BOARD = { tab, openMeasure, state };  // the browser tests drive it through this
  await tab("board");
}
main();
