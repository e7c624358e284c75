// The sandbox page: plays Telegram against the embedded Bot API (no build step, no libraries).
"use strict";
const $ = (id) => document.getElementById(id);
const state = { lang: localStorage.getItem("lang") || "zh_CN", world: null, me: null, chat: null,
  replyTo: null, version: "", chatVersion: "", seen: JSON.parse(localStorage.getItem("seen") || "{}") };
let S = {};

async function api(path, body) {
  const sep = path.includes("?") ? "&" : "?";
  const url = path + sep + "lang=" + state.lang;
  // the token this page was served with: the sandbox refuses changes without it
  const token = { "X-Cadence-Token": document.querySelector('meta[name="cadence-token"]').content };
  const init = body === undefined ? {} : body instanceof FormData
    ? { method: "POST", body, headers: token } : { method: "POST", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", ...token } };
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(await res.text());
  return res.json();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

function toast(text) {
  if (!text) return;
  $("toast").textContent = text; $("toast").hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => { $("toast").hidden = true; }, 3500);
}

function person(id) { return state.world.people.find((p) => p.id === id); }

async function loadWorld() {
  state.world = await api("/api/world");
  S = state.world.strings;
  document.documentElement.lang = state.lang === "en" ? "en" : "zh-CN";
  for (const [id, key] of [["title", "title"], ["subtitle", "subtitle"], ["you-are-label", "you_are"],
    ["pick-chat", "pick_chat"], ["replying-label", "replying"], ["send", "send"],
    ["clock-title", "clock"], ["now-label", "now"], ["next-beats-label", "next_beats"],
    ["next-day", "next_day"], ["next-beat", "next_beat"], ["reset", "reset"], ["go-live", "go_live"]]) {
    if ($(id)) $(id).textContent = S[key];
  }
  document.title = S.title; $("text").placeholder = S.type;
  $("open-board").textContent = S.open_board;
  $("menu-button").title = S.menu; $("attach").title = S.attach; $("lang").value = state.lang;
  if (state.me === null) state.me = state.world.people[0].id;
  renderPeople(); renderChats(); renderClock();
}

function label(p) {
  const roles = p.roles.length ? p.roles.join("、") : S.stranger;
  return p.name + " · " + roles;
}

function renderPeople() {
  $("you").replaceChildren(...state.world.people.map((p) =>
    el("option", { value: p.id }, label(p))));
  $("you").value = state.me;
}

function renderChats() {
  const items = [el("h3", {}, S.groups)];
  for (const g of state.world.groups) items.push(chatItem(g.id, g.title, ""));
  items.push(el("h3", {}, S.people));
  for (const p of state.world.people) items.push(chatItem(p.id, p.name, p.roles.join("、") || S.stranger));
  items.push(el("button", { type: "button", id: "add-person", onclick: addPerson }, "+ " + S.add_person));
  $("chats").replaceChildren(...items);
}

function chatItem(id, title, sub) {
  const unread = (state.world.counts[id] || 0) - (state.seen[id] || 0);
  const badge = unread > 0 && state.chat !== id ? el("span", { class: "badge" }, String(unread)) : "";
  return el("div", { class: "chat" + (state.chat === id ? " active" : ""), "data-chat": id,
    onclick: () => openChat(id) }, badge, title, el("small", {}, sub));
}

function markSeen() {
  if (state.chat === null) return;
  state.seen[state.chat] = state.world.counts[state.chat] || 0;
  localStorage.setItem("seen", JSON.stringify(state.seen));
}

async function refresh() {
  const w = await api("/api/world");
  // people too: whoever a link just bound shows with their roles
  Object.assign(state.world, { counts: w.counts, beats: w.beats, now: w.now, people: w.people });
  markSeen(); renderPeople(); renderChats(); renderClock(); renderTitle();
}

function renderClock() {
  $("now").textContent = state.world.now;
  $("beats").replaceChildren(...state.world.beats.map((b) => el("li", { "data-beat": b.beat },
    el("span", {}, b.label + " — " + b.next + (b.sent ? " · " + S.sent_already : "")),
    el("button", { type: "button", onclick: () => runBeat(b.beat) }, S.run_now + " · " + b.label))));
}

async function openChat(id) {
  state.chat = id; state.replyTo = null; $("replying").hidden = true; $("menu").hidden = true;
  if (id > 0) { state.me = id; $("you").value = id; }
  markSeen(); renderChats(); renderTitle();
  await loadChat();
}

function renderTitle() {
  if (state.chat === null) return;
  const g = state.world.groups.find((x) => x.id === state.chat);
  const p = g ? null : person(state.chat);
  $("chat-title").textContent = g ? g.title : p ? label(p) : "";
}

async function loadChat() {
  if (state.chat === null) return;
  const data = await api("/api/chat/" + state.chat + "?as=" + state.me);
  state.commands = data.commands;
  const box = $("messages");
  const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 30;
  box.replaceChildren(...data.messages.map(renderMessage));
  if (atEnd || state.chatVersion === "") {
    box.scrollTop = box.scrollHeight;
    // a picture gets its height only once loaded, after this scroll: follow it to the end again
    for (const img of box.querySelectorAll("img")) {
      if (!img.complete) img.addEventListener("load", () => { box.scrollTop = box.scrollHeight; });
    }
  }
  state.chatVersion = data.version;
}

// t.me links that start the bot; the sandbox opens them as the person they are for
const START_LINK = /https:\/\/t\.me\/[A-Za-z0-9_]+\?start=[A-Za-z0-9_-]+/g;

function linkify(text) {
  const parts = []; let last = 0;
  for (const found of text.matchAll(START_LINK)) {
    parts.push(text.slice(last, found.index));
    const url = found[0];
    parts.push(el("a", { href: url, class: "start-link", title: S.open_link,
      onclick: (ev) => { ev.preventDefault(); openLink(url); } }, url));
    last = found.index + url.length;
  }
  parts.push(text.slice(last));
  return parts;
}

async function openLink(url) {
  const r = await api("/api/open", { url });
  await loadWorld(); await openChat(r.id);
}

async function addPerson() {
  const r = await api("/api/person", {});
  await loadWorld(); await openChat(r.id);
}

function renderMessage(m) {
  const mine = !m.bot && m.sender === (person(state.me) || {}).name;
  const node = el("div", { class: "msg" + (mine ? " mine" : "") + (m.deleted ? " deleted" : ""),
    "data-id": m.id, "data-bot": m.bot ? "1" : "0" });
  node.append(el("div", { class: "who" }, m.sender));
  if (m.reply_to) node.append(el("div", { class: "quote" }, m.reply_to.text));
  if (m.photo) node.append(el("a", { href: "/api/file/" + m.photo.file_id, download: "" },
    el("img", { src: "/api/file/" + m.photo.file_id + "?inline=1", alt: "" })));
  if (m.document) node.append(el("div", { class: "file" }, "📄 ",
    el("a", { href: "/api/file/" + m.document.file_id, download: m.document.name }, m.document.name)));
  if (m.text) node.append(el("div", { class: "text" }, ...linkify(m.text)));
  if (m.buttons.length) {
    node.append(el("div", { class: "keyboard" }, ...m.buttons.map((row) => el("div", { class: "row" },
      ...row.map((b) => el("button", { type: "button", onclick: () => pressButton(m, b) }, b.text))))));
  }
  node.append(el("div", { class: "meta" }, (m.edited ? S.edited + " · " : "") + m.date,
    el("span", { class: "reply-link", onclick: () => replyTo(m) }, S.reply)));
  return node;
}

function replyTo(m) {
  state.replyTo = m.id; $("replying").hidden = false;
  $("replying-text").textContent = (m.text || "").slice(0, 60); $("text").focus();
}

// the leaders' board as the person chosen above, with initData signed by the sandbox's token
async function openBoard() {
  const r = await api("/api/board", { as: state.me });
  window.open(r.url, "_blank");
}

async function pressButton(m, b) {
  if (b.web_app) return openBoard();
  if (b.url) {
    if (b.url.match(START_LINK)) return openLink(b.url);
    window.open(b.url, "_blank"); return;
  }
  const answer = await api("/api/press", { as: state.me, chat: state.chat, message_id: m.id, data: b.data });
  if (answer.alert) alert(answer.text); else toast(answer.text);
}

async function sendText(text) {
  const body = { as: state.me, chat: state.chat, text };
  if (state.replyTo) body.reply_to = state.replyTo;
  state.replyTo = null; $("replying").hidden = true;
  await api("/api/send", body);
}

async function upload(file) {
  const form = new FormData();
  form.append("as", state.me); form.append("chat", state.chat);
  if (state.replyTo) form.append("reply_to", state.replyTo);
  if ($("text").value.trim()) { form.append("caption", $("text").value.trim()); $("text").value = ""; }
  form.append("file", file, file.name);
  state.replyTo = null; $("replying").hidden = true;
  await api("/api/upload", form);
}

function toggleMenu() {
  const menu = $("menu");
  if (!menu.hidden) { menu.hidden = true; return; }
  menu.replaceChildren(...(state.commands || []).map((c) => el("div", {
    onclick: () => { $("text").value = "/" + c.command + " "; menu.hidden = true; $("text").focus(); } },
    el("b", {}, "/" + c.command), c.description)));
  menu.hidden = false;
}

async function runBeat(beat) {
  $("status").textContent = "…";
  const r = await api("/api/beat", { beat });
  $("status").textContent = r.text;
  await loadWorld();
}

async function advance(to) {
  $("status").textContent = "…";
  await api("/api/advance", { to });
  $("status").textContent = S.done;
  await loadWorld();
}

async function reset() {
  if (!confirm(S.reset_confirm)) return;
  $("status").textContent = "…";
  await api("/api/reset", {});
  state.me = null; state.chat = null; state.chatVersion = ""; state.seen = {};
  localStorage.setItem("seen", "{}");
  $("messages").replaceChildren(el("p", { class: "hint", id: "pick-chat" }, S.pick_chat));
  $("chat-title").textContent = "";
  await loadWorld();
  $("status").textContent = S.done;
}

async function watch() {
  for (;;) {
    try {
      const r = await api("/api/wait?version=" + encodeURIComponent(state.version));
      if (r.version !== state.version) { state.version = r.version; await loadChat(); await refresh(); }
    } catch (e) { await new Promise((ok) => setTimeout(ok, 2000)); }
  }
}

$("composer").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const text = $("text").value.trim();
  if (!text || state.chat === null) return;
  $("text").value = ""; $("menu").hidden = true;
  try { await sendText(text); } catch (e) { toast(String(e)); }
});
$("file").addEventListener("change", async () => {
  const file = $("file").files[0]; $("file").value = "";
  if (file && state.chat !== null) await upload(file);
});
$("menu-button").addEventListener("click", toggleMenu);
$("open-board").addEventListener("click", openBoard);
$("replying-cancel").addEventListener("click", () => { state.replyTo = null; $("replying").hidden = true; });
$("you").addEventListener("change", () => {
  state.me = Number($("you").value);
  if (state.chat !== null && state.chat > 0) openChat(state.me); else loadChat();
});
$("lang").addEventListener("change", async () => {
  state.lang = $("lang").value; localStorage.setItem("lang", state.lang); await loadWorld(); await loadChat();
});
$("next-day").addEventListener("click", () => advance("day"));
$("next-beat").addEventListener("click", () => advance("beat"));
$("reset").addEventListener("click", reset);
setInterval(() => { if (state.world) refresh(); }, 30000);  // the clock runs
loadWorld().then(watch);
