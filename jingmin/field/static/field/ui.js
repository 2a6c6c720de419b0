// Small helpers of the field app's pages: elements, words, dates.
const strings = JSON.parse(document.getElementById("field-strings").textContent);
export const choices = JSON.parse(document.getElementById("field-choices").textContent);

// A translated sentence with its named placeholders filled in.
export function t(key, params = {}) {
  const text = strings[key] || key;
  return text.replace(/%\((\w+)\)s/g, (_m, name) => (name in params ? String(params[name]) : ""));
}

// An element; text always goes in as text, never as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Append what is there: null, undefined and false stand for nothing (DOM append would write "null").
export function add(parent, ...children) {
  parent.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return parent;
}

const chinese = () => (document.documentElement.lang || "").startsWith("zh");
const pad = (n) => String(n).padStart(2, "0");

export function fmtDate(value) {
  if (!value) return "";
  const d = typeof value === "string" && value.length === 10 ? new Date(`${value}T00:00:00`) : new Date(value);
  if (chinese()) return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" });
}

export function fmtDateTime(value) {
  if (!value) return "";
  const d = new Date(value);
  return `${fmtDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// The value of a datetime-local input for a moment, in the phone's time.
export function localInput(date = new Date()) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function span(ms) {
  const minutes = Math.round(Math.abs(ms) / 60000);
  if (minutes < 60) return t("minutes", { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t("hours", { n: hours });
  return t("days", { n: Math.round(hours / 24) });
}

// "3 h left" or "overdue by 1 d", and the colour class the pages use for clocks.
export function timeLeft(due, now = Date.now()) {
  if (!due) return { text: t("no_clock"), cls: "" };
  const ms = new Date(due).getTime() - now;
  if (ms < 0) return { text: t("time_over", { time: span(ms) }), cls: "clock-over" };
  return { text: t("time_left", { time: span(ms) }), cls: ms < 4 * 3600000 ? "clock-soon" : "clock-ok" };
}

export function label(pairs, value) {
  const found = pairs.find((p) => p[0] === value);
  return found ? found[1] : value;
}

export function field(labelText, input, { name = "", help = "", errors = {} } = {}) {
  const messages = errors[name] || [];
  const wrap = h("div", { class: `field${messages.length ? " has-error" : ""}`, dataset: { field: name } });
  const id = input.id || `f-${name || Math.random().toString(36).slice(2)}`;
  input.id = id;
  wrap.append(h("label", { for: id }, labelText), input);
  if (help) wrap.append(h("p", { class: "help" }, help));
  for (const m of messages) wrap.append(h("p", { class: "error", role: "alert" }, m));
  return wrap;
}

export function select(name, pairs, value, attrs = {}) {
  const el = h("select", { name, ...attrs });
  for (const [v, text] of pairs) el.append(h("option", { value: v, selected: String(v) === String(value ?? "") }, text));
  return el;
}
