// The field app: today's plan, the district's households, the visit form, appeal intake and
// "my work", working from the copy in IndexedDB, with every record queued and sent when the
// network allows. Routes are the part of the address after "#".
import { getAll, getMeta, saveCopy, setMeta, wipeAll, wipeCopy, db } from "./db.js";
import * as outbox from "./outbox.js";
import { shrink } from "./photos.js";
import { add, choices, field, fmtDate, fmtDateTime, h, label, localInput, select, t, timeLeft } from "./ui.js";

const urls = choices.urls;
const SYNC_TAG = "jingmin-field-outbox";
// A copy younger than this is not fetched again when the app opens (a large district's copy is
// megabytes: see docs/benchmarks.md); records sent make a new one at once.
const COPY_FRESH_MS = 30 * 60 * 1000;
const TOUCH_EVERY_MS = 20 * 1000;
const PING_EVERY_MS = 5 * 60 * 1000;

const state = {
  session: null,
  copy: null,
  households: new Map(),
  plan: [],
  tasks: [],
  work: new Map(),
  records: [],
  waitingHere: 0,
  notice: "",
  online: navigator.onLine,
  lastTouch: 0,
  lastPing: Date.now(),
};
const view = document.getElementById("view");

// ---------------------------------------------------------------------------------------------
// Start

async function main() {
  registerWorker();
  await db();
  await outbox.recover();
  state.session = (await getMeta("session")) || null;
  await enforceLimits();
  await load();
  bindChrome();
  render();
  if (navigator.onLine) await goOnline();
  setInterval(tick, 30 * 1000);
}

function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .register(document.body.dataset.worker, { scope: document.body.dataset.scope, type: "module" })
    .catch(() => {});
  navigator.serviceWorker.ready.then(() => {
    document.body.dataset.workerReady = "1";
  });
}

// The idle time-out and the expiry of the copy, also while the phone has no network.
async function enforceLimits(whileOpen = false) {
  if (state.session) {
    const last = (await getMeta("last_active")) || 0;
    if (last && Date.now() - last > state.session.idle_minutes * 60000) {
      await lock("idle", whileOpen);
      return;
    }
  }
  const copy = await getMeta("copy");
  if (copy && new Date(copy.expires_at).getTime() < Date.now()) {
    const days = state.session ? state.session.cache_days : "";
    await wipeCopy();
    if (state.session) await setMeta("session", state.session);
    state.notice = t("copy_expired", { days });
  }
}

async function lock(reason, endServerSession = false) {
  const minutes = state.session ? state.session.idle_minutes : "";
  const token = state.session ? state.session.csrf : "";
  await wipeCopy();
  state.session = null;
  if (endServerSession && state.online && token) {
    // The app stood open and untouched for the idle time: the server's session ends with it.
    // (When the app only opens after a while, the person may have been busy on other pages.)
    fetch(urls.signout, { method: "POST", headers: { "X-CSRFToken": token }, credentials: "same-origin", redirect: "manual" }).catch(() => {});
  }
  state.notice = reason === "idle" ? t("idle_out", { minutes }) : t("signed_out");
  await load();
  render();
}

async function load() {
  state.copy = (await getMeta("copy")) || null;
  state.households = new Map((await getAll("households")).map((x) => [x.id, x]));
  state.plan = await getAll("plan");
  state.plan.sort((a, b) => (a.due_on < b.due_on ? -1 : 1));
  state.tasks = await getAll("tasks");
  state.work = new Map((await getAll("work")).map((x) => [x.id, x]));
  state.records = state.session ? await outbox.list(state.session.user.id) : [];
  // Signed out, the phone says only how many records wait, not what they say.
  state.waitingHere = await outbox.unsentCount();
  await updateQueue();
}

async function touch(force = false) {
  if (!state.session) return;
  const now = Date.now();
  if (!force && now - state.lastTouch < TOUCH_EVERY_MS) return;
  state.lastTouch = now;
  await setMeta("last_active", now);
}

async function tick() {
  await enforceLimits(true);
  if (!state.online || !state.session) return;
  const now = Date.now();
  if (now - state.lastTouch < 60 * 1000 && now - state.lastPing > PING_EVERY_MS) {
    // Someone is working in the app without a request to the server (reading the copy, typing a
    // long visit): the server hears of it, so that its idle clock counts the same activity.
    state.lastPing = now;
    const fresh = await fetchSession();
    if (fresh === null) return lock("signed_out");
    if (fresh) {
      state.session = fresh;
      await setMeta("session", fresh);
    }
  }
  await sendNow();
}

// ---------------------------------------------------------------------------------------------
// The network

async function fetchSession() {
  try {
    const response = await fetch(urls.session, { credentials: "same-origin", redirect: "manual" });
    if (response.type === "opaqueredirect" || response.status === 401) return null;
    if (!response.ok) return undefined;
    return await response.json();
  } catch (e) {
    return undefined;
  }
}

async function goOnline() {
  state.online = true;
  updateNet();
  const fresh = await fetchSession();
  if (fresh === null) {
    if (state.session || state.copy) await lock("signed_out");
    else render();
    return;
  }
  if (!fresh) return;
  if (state.session && state.session.user.id !== fresh.user.id) await wipeCopy();
  state.session = fresh;
  state.notice = "";
  await setMeta("session", fresh);
  await touch(true);
  await sendNow();
  const copy = await getMeta("copy");
  const chosen = await getMeta("district");
  const stale = !copy || Date.now() - new Date(copy.generated_at).getTime() > COPY_FRESH_MS;
  if (stale || (chosen && copy && copy.district.id !== chosen)) await refreshCopy();
  else {
    await load();
    render();
  }
}

async function refreshCopy() {
  const district = await getMeta("district");
  const query = district ? `?district=${encodeURIComponent(district)}` : "";
  try {
    const response = await fetch(urls.copy + query, { credentials: "same-origin", redirect: "manual" });
    if (response.type === "opaqueredirect" || response.status === 401) return lock("signed_out");
    if (!response.ok) return;
    await saveCopy(await response.json());
  } catch (e) {
    return;
  }
  await load();
  render();
}

let sending = null;

async function sendNow() {
  if (!state.session) return;
  if (sending) return sending;
  setSending(true);
  sending = outbox
    .sendAll({ syncUrl: urls.sync, onChange: () => refreshRecords() })
    .then(async (result) => {
      if (result.signedOut) {
        const fresh = await fetchSession();
        if (fresh === null) await lock("signed_out");
      }
      if (result.sent) await refreshCopyLater();
      return result;
    })
    .finally(async () => {
      sending = null;
      setSending(false);
      await refreshRecords();
    });
  return sending;
}

// After records reached the server, "my work" and the plan are read again (not while typing).
let copyTimer = null;
function refreshCopyLater() {
  clearTimeout(copyTimer);
  copyTimer = setTimeout(() => {
    if (state.online && !isEditing()) refreshCopy();
  }, 1000);
}

function isEditing() {
  return Boolean(view.querySelector("form[data-editing]"));
}

async function queue(record) {
  record.user = state.session.user.id;
  record.status = "waiting";
  record.created_at = record.created_at || new Date().toISOString();
  record.error = null;
  record.conflict = null;
  await outbox.put(record);
  await refreshRecords();
  try {
    const registration = await navigator.serviceWorker?.ready;
    if (registration && registration.sync) await registration.sync.register(SYNC_TAG);
  } catch (e) {
    // No background sync here: the page sends when it sees the network.
  }
  if (state.online) sendNow();
}

async function refreshRecords() {
  if (!state.session) return;
  state.records = await outbox.list(state.session.user.id);
  await updateQueue();
  const route = currentRoute();
  if ((route.name === "outbox" || route.name === "work") && !isEditing()) render();
}

// ---------------------------------------------------------------------------------------------
// Chrome: network state, the waiting count, sign-out

function bindChrome() {
  window.addEventListener("online", () => goOnline());
  window.addEventListener("offline", () => {
    state.online = false;
    updateNet();
  });
  window.addEventListener("hashchange", () => render());
  for (const type of ["pointerdown", "keydown", "input"]) document.addEventListener(type, () => touch(), { passive: true });
  document.getElementById("queue").addEventListener("click", () => {
    location.hash = "#outbox";
  });
  document.getElementById("signout").addEventListener("click", () => signOut(false));
  updateNet();
}

function updateNet() {
  const net = document.getElementById("net");
  net.dataset.online = state.online ? "1" : "0";
  net.textContent = state.online ? t("online") : t("offline");
}

function setSending(on) {
  document.body.dataset.sending = on ? "1" : "0";
}

async function updateQueue() {
  const count = state.session
    ? state.records.filter((r) => outbox.UNSENT.includes(r.status)).length
    : state.waitingHere;
  const el = document.getElementById("queue-count");
  el.textContent = String(count);
  el.dataset.count = String(count);
  document.getElementById("queue-label").textContent = t("waiting_count", { count: "" }).trim();
  document.getElementById("queue").classList.toggle("has-waiting", count > 0);
}

async function signOut(confirmed) {
  const waiting = await outbox.unsentCount();
  if (waiting && !confirmed) {
    location.hash = "#signout";
    return;
  }
  await wipeAll();
  const registration = await navigator.serviceWorker?.getRegistration(document.body.dataset.scope);
  if (registration && registration.active) registration.active.postMessage({ type: "wipe" });
  const token = state.session ? state.session.csrf : "";
  state.session = null;
  if (state.online && token) {
    const form = document.getElementById("signout-form");
    form.elements.csrfmiddlewaretoken.value = token;
    form.submit();
    return;
  }
  state.notice = t("signout_offline");
  await load();
  render();
}

// ---------------------------------------------------------------------------------------------
// Routing and rendering

function currentRoute() {
  const [name, ...args] = (location.hash.replace(/^#/, "") || "today").split("/");
  return { name, args };
}

const ROUTES = {
  today: renderToday,
  households: renderHouseholds,
  household: renderHousehold,
  visit: renderVisitForm,
  work: renderWork,
  step: renderStepForm,
  appeal: renderAppealForm,
  outbox: renderOutbox,
  signout: renderSignOut,
};

function render() {
  const route = currentRoute();
  for (const tab of document.querySelectorAll("#tabs a")) {
    tab.toggleAttribute("aria-current", tab.dataset.tab === route.name);
  }
  view.replaceChildren();
  if (!state.session) {
    renderSignedOut();
  } else {
    (ROUTES[route.name] || renderToday)(...route.args);
  }
  view.dataset.ready = "1";
  view.dataset.route = route.name;
}

function notice() {
  return state.notice ? h("p", { class: "msg warning", role: "status" }, state.notice) : null;
}

function renderSignedOut() {
  const waiting = state.waitingHere;
  add(view, 
    notice() || h("p", { class: "msg warning" }, t("signed_out")),
    waiting ? h("p", { class: "help" }, t("kept_records", { count: waiting })) : null,
    h("a", { class: "button primary big", href: `${urls.signin}?next=${encodeURIComponent(urls.scope)}` }, t("sign_in")),
  );
}

function copyLine() {
  if (!state.copy) return h("p", { class: "msg warning", id: "no-copy" }, t("no_copy"));
  return h(
    "p",
    { class: "help", id: "copy-line", dataset: { households: String(state.households.size) } },
    t("copy_from", {
      district: state.copy.district.name,
      time: fmtDateTime(state.copy.generated_at),
      days: state.session ? state.session.cache_days : "",
    }),
    " ",
    state.online ? h("button", { type: "button", class: "linkish", onclick: () => refreshCopy() }, t("refresh")) : null,
  );
}

function districtChoice() {
  const districts = state.session ? state.session.districts : [];
  if (districts.length < 2) return null;
  const current = state.copy ? state.copy.district.id : districts[0].id;
  const el = select(
    "district",
    districts.map((d) => [d.id, d.name]),
    current,
    {
      onchange: async (event) => {
        await setMeta("district", Number(event.target.value));
        await refreshCopy();
      },
    },
  );
  return field(t("district_choice"), el, { name: "district" });
}

function householdTitle(hh) {
  return [hh.address, hh.number, hh.head].filter(Boolean).join(" · ");
}

function householdItem(hh, extra = null) {
  return h(
    "li",
    { class: "hh", dataset: { household: String(hh.id) } },
    h("a", { class: "hh-title", href: `#household/${hh.id}` }, householdTitle(hh)),
    hh.tags.length ? h("p", { class: "tags" }, hh.tags.map((x) => h("span", { class: "badge" }, x))) : null,
    extra,
    h("p", { class: "help" }, hh.last_visit ? t("last_visit", { date: fmtDate(hh.last_visit) }) : t("never_visited")),
    h("a", { class: "button primary big record", href: `#visit/${hh.id}` }, t("record_visit")),
  );
}

function renderToday() {
  add(view, h("h1", {}, t("today")), notice(), copyLine(), districtChoice());
  const rows = state.plan.map((p) => [p, state.households.get(p.household)]).filter(([, hh]) => hh);
  if (!rows.length) add(view, h("p", { class: "empty" }, t("no_plan")));
  else {
    add(view, 
      h(
        "ul",
        { class: "hh-list", id: "plan" },
        rows.map(([p, hh]) =>
          householdItem(
            hh,
            h("p", { class: p.overdue ? "due over" : "due" }, p.overdue ? t("overdue", { date: fmtDate(p.due_on) }) : t("due", { date: fmtDate(p.due_on) })),
          ),
        ),
      ),
    );
  }
  add(view, h("h2", {}, t("tasks")));
  if (!state.tasks.length) add(view, h("p", { class: "empty" }, t("no_tasks")));
  else {
    add(view, 
      h(
        "ul",
        { class: "task-list" },
        state.tasks.map((task) => {
          const hh = state.households.get(task.household);
          return h(
            "li",
            {},
            h("strong", {}, task.due_on ? fmtDate(task.due_on) : ""),
            " ",
            task.text,
            hh ? h("p", { class: "help" }, householdTitle(hh)) : null,
          );
        }),
      ),
    );
  }
  add(view, h("p", { class: "help install" }, t("install_hint")));
}

function renderHouseholds() {
  add(view, h("h1", {}, t("households")), notice(), copyLine());
  const input = h("input", { type: "search", name: "q", placeholder: t("search_households"), autocomplete: "off" });
  const list = h("ul", { class: "hh-list", id: "household-list" });
  const fill = () => {
    const q = input.value.trim();
    const all = [...state.households.values()];
    const found = q ? all.filter((hh) => householdTitle(hh).includes(q)) : all;
    list.replaceChildren(...found.slice(0, 100).map((hh) => householdItem(hh)));
    if (!found.length) list.append(h("li", { class: "empty" }, t("no_match")));
  };
  input.addEventListener("input", fill);
  add(view, field(t("search_households"), input, { name: "q" }), list);
  fill();
}

function renderHousehold(id) {
  const hh = state.households.get(Number(id));
  if (!hh) return renderHouseholds();
  add(view, 
    h("h1", {}, householdTitle(hh)),
    hh.tags.length ? h("p", { class: "tags" }, hh.tags.map((x) => h("span", { class: "badge" }, x))) : null,
    h("h2", {}, t("members")),
    memberList(hh),
    h("p", { class: "help" }, hh.last_visit ? t("last_visit", { date: fmtDate(hh.last_visit) }) : t("never_visited")),
    h("a", { class: "button primary big record", href: `#visit/${hh.id}` }, t("record_visit")),
  );
}

function memberList(hh) {
  return h(
    "ul",
    { class: "members" },
    hh.members.map((m) =>
      h(
        "li",
        { dataset: { member: String(m.id) } },
        h("strong", {}, m.name),
        ` ${m.relation}${m.sex ? ` · ${m.sex}` : ""}${m.age !== null ? ` · ${t("age", { age: m.age })}` : ""}`,
        m.tags.length ? h("span", { class: "tags" }, m.tags.map((x) => h("span", { class: "badge" }, x))) : null,
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Forms

function errorsOf(record) {
  if (!record || !record.error) return {};
  const errors = { ...(record.error.errors || {}) };
  if (record.error.field && !errors[record.error.field]) errors[record.error.field] = [record.error.detail];
  return errors;
}

function formTop(record) {
  if (!record || !record.error) return null;
  return h("p", { class: "form-error", role: "alert" }, record.error.detail);
}

function photoPicker(max, kept) {
  const files = [...(kept || [])];
  const input = h("input", { type: "file", name: "photos", accept: "image/*", multiple: true, capture: "environment" });
  const count = h("p", { class: "help", id: "photo-count", dataset: { count: String(files.length) } }, t("photos_chosen", { count: files.length }));
  input.addEventListener("change", async () => {
    for (const file of input.files) {
      if (files.length >= max) break;
      files.push({ blob: (await shrink(file)).blob });
    }
    input.value = "";
    count.textContent = t("photos_chosen", { count: files.length });
    count.dataset.count = String(files.length);
  });
  return { element: field(t("photos"), input, { name: "photos", help: t("photos_help") }), files, extra: count };
}

async function existing(id) {
  return id ? outbox.get(id) : null;
}

async function renderVisitForm(householdId, recordId) {
  const record = await existing(recordId);
  const hh = state.households.get(Number(householdId));
  if (!hh) return renderHouseholds();
  const fields = record ? record.fields : {};
  const errors = errorsOf(record);
  const form = h("form", { id: "visit-form", novalidate: true, dataset: { editing: "1" } });
  const kinds = h("div", { class: "radios" });
  for (const [value, text] of choices.visit_kinds) {
    kinds.append(
      h(
        "label",
        { class: "radio" },
        h("input", { type: "radio", name: "kind", value, checked: (fields.kind || "household") === value }),
        ` ${text}`,
      ),
    );
  }
  const when = h("input", {
    type: "datetime-local",
    name: "visited_at",
    value: fields.visited_at ? localInput(new Date(fields.visited_at)) : localInput(),
  });
  const summary = h("textarea", { name: "summary", rows: 4, maxlength: 5000 }, fields.summary || "");
  const position = { latitude: fields.latitude ?? "", longitude: fields.longitude ?? "", accuracy: fields.accuracy ?? "" };
  const located = h("p", { class: "help", id: "located" }, position.latitude ? t("located", { m: position.accuracy }) : "");
  const locate = h("button", { type: "button", class: "secondary big", "data-locate": true }, t("locate"));
  locate.addEventListener("click", () => {
    navigator.geolocation?.getCurrentPosition(
      (pos) => {
        position.latitude = pos.coords.latitude.toFixed(6);
        position.longitude = pos.coords.longitude.toFixed(6);
        position.accuracy = Math.round(pos.coords.accuracy);
        located.textContent = t("located", { m: position.accuracy });
      },
      () => {
        located.textContent = t("locate_failed");
      },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
  const news = h("div", { id: "news" });
  const people = [["", t("nobody")], ...hh.members.map((m) => [String(m.id), `${m.name} ${m.relation}`])];
  const addNews = (item = {}) => {
    const i = news.children.length;
    const row = h(
      "fieldset",
      { class: "news-row" },
      field(t("news_kind"), select("kind", [["", "---------"], ...choices.item_kinds], item.kind), { name: `items.${i}.kind`, errors }),
      field(t("news_text"), h("textarea", { name: "text", rows: 2, maxlength: 2000 }, item.text || ""), { name: `items.${i}.text`, errors }),
      field(t("news_person"), select("person", people, item.person ?? ""), { name: `items.${i}.person`, errors }),
      h("button", { type: "button", class: "secondary", onclick: () => row.remove() }, t("remove")),
    );
    news.append(row);
  };
  for (const item of fields.items || []) addNews(item);
  const photos = photoPicker(choices.photo_max_files, record ? record.files : []);
  add(form, 
    formTop(record),
    field(t("kind"), kinds, { name: "kind", errors }),
    field(t("when"), when, { name: "visited_at", errors }),
    h("div", { class: "field" }, locate, located),
    field(t("summary"), summary, { name: "summary", errors }),
    h("h2", {}, t("news")),
    news,
    h("button", { type: "button", class: "secondary big", "data-add-news": true, onclick: () => addNews() }, t("add_news")),
    photos.element,
    photos.extra,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "primary big", id: "save-visit" }, t("save")),
      h("a", { class: "button secondary big", href: record ? "#outbox" : `#household/${hh.id}` }, t("cancel")),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const items = [...news.querySelectorAll(".news-row")]
      .map((row) => ({
        kind: row.querySelector("[name=kind]").value,
        text: row.querySelector("[name=text]").value.trim(),
        person: row.querySelector("[name=person]").value || null,
      }))
      .filter((item) => item.kind || item.text);
    const kind = form.querySelector("[name=kind]:checked")?.value || "household";
    if (!summary.value.trim()) {
      summary.focus();
      summary.closest(".field").classList.add("has-error");
      summary.closest(".field").append(h("p", { class: "error", role: "alert" }, t("required")));
      return;
    }
    const target = record || { id: outbox.newId(), type: "visit" };
    target.household_version = record && record.household_version && record.fields.household === hh.id ? record.household_version : hh.version;
    target.fields = {
      household: hh.id,
      kind,
      visited_at: new Date(when.value || Date.now()).toISOString(),
      latitude: position.latitude,
      longitude: position.longitude,
      accuracy: position.accuracy,
      summary: summary.value.trim(),
      items,
    };
    target.files = photos.files;
    target.label = t("visit_record_label", { kind: label(choices.visit_kinds, kind), household: householdTitle(hh) });
    await queue(target);
    state.notice = t("saved");
    location.hash = "#outbox";
  });
  add(view, h("h1", {}, t("visit_title")), h("p", { class: "help" }, householdTitle(hh)), memberList(hh), form);
}

async function renderAppealForm(recordId) {
  const record = await existing(recordId);
  const fields = record ? record.fields : {};
  const errors = errorsOf(record);
  const form = h("form", { id: "appeal-form", novalidate: true, dataset: { editing: "1" } });
  const categories = [["", "---------"], ...choices.categories.map((c) => [String(c.id), c.group ? `${c.group} · ${c.name}` : c.name])];
  const districts = (state.session.districts || []).map((d) => [String(d.id), d.name]);
  const inputs = {
    type: select("type", choices.appeal_types, fields.type || "help"),
    category: select("category", categories, fields.category || ""),
    urgency: select("urgency", choices.urgencies, fields.urgency || "general"),
    title: h("input", { name: "title", maxlength: 120, value: fields.title || "" }),
    content: h("textarea", { name: "content", rows: 4, maxlength: 5000 }, fields.content || ""),
    address: h("input", { name: "address", maxlength: 200, value: fields.address || "" }),
    district: select("district", [["", "---------"], ...districts], fields.district || (districts[0] || [""])[0]),
    citizen_name: h("input", { name: "citizen_name", maxlength: 50, value: fields.citizen_name || "", autocomplete: "off" }),
    citizen_phone: h("input", { name: "citizen_phone", type: "tel", inputmode: "tel", maxlength: 20, value: fields.citizen_phone || "", autocomplete: "off" }),
    received_at: h("input", { type: "datetime-local", name: "received_at", value: fields.received_at ? localInput(new Date(fields.received_at)) : localInput() }),
  };
  const anonymous = h("input", { type: "checkbox", name: "anonymous", checked: Boolean(fields.anonymous) });
  const photos = photoPicker(choices.attachment_max_files, record ? record.files : []);
  add(form, 
    formTop(record),
    field(t("type"), inputs.type, { name: "type", errors }),
    field(t("category"), inputs.category, { name: "category", errors }),
    field(t("urgency"), inputs.urgency, { name: "urgency", errors }),
    field(t("title"), inputs.title, { name: "title", errors }),
    field(t("content"), inputs.content, { name: "content", errors }),
    field(t("address"), inputs.address, { name: "address", errors }),
    field(t("district"), inputs.district, { name: "district", errors }),
    h("label", { class: "check" }, anonymous, ` ${t("anonymous")}`),
    field(t("citizen_name"), inputs.citizen_name, { name: "citizen_name", errors }),
    field(t("citizen_phone"), inputs.citizen_phone, { name: "citizen_phone", errors }),
    field(t("received_at"), inputs.received_at, { name: "received_at", errors }),
    photos.element,
    photos.extra,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary big", id: "save-appeal" }, t("save"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const missing = ["category", "title", "content"].filter((name) => !inputs[name].value.trim());
    for (const name of missing) {
      const wrap = inputs[name].closest(".field");
      wrap.classList.add("has-error");
      add(wrap, h("p", { class: "error", role: "alert" }, t("required")));
    }
    if (missing.length) return inputs[missing[0]].focus();
    const target = record || { id: outbox.newId(), type: "appeal" };
    target.fields = {};
    for (const [name, input] of Object.entries(inputs)) target.fields[name] = input.value.trim();
    target.fields.received_at = new Date(inputs.received_at.value || Date.now()).toISOString();
    target.fields.anonymous = anonymous.checked;
    target.files = photos.files;
    target.label = target.fields.title;
    await queue(target);
    state.notice = t("saved");
    location.hash = "#outbox";
  });
  add(view, h("h1", {}, t("appeal_title")), notice(), form);
}

// ---------------------------------------------------------------------------------------------
// My work

function queuedSteps(appealId) {
  return state.records.filter((r) => r.type === "step" && r.appeal === appealId && outbox.UNSENT.includes(r.status));
}

// The steps the phone offers: the server's, and those a step already queued here opens.
function stepsFor(item) {
  const queued = queuedSteps(item.id).map((r) => r.step);
  if (queued.includes("conclude")) return [];
  if (queued.includes("sign")) return ["contact", "conclude"];
  return item.steps;
}

function renderWork() {
  add(view, h("h1", {}, t("work")), notice(), copyLine());
  const items = [...state.work.values()].sort((a, b) => ((a.due_at || "~") < (b.due_at || "~") ? -1 : 1));
  if (!items.length) return add(view, h("p", { class: "empty" }, t("no_work")));
  const list = h("ul", { class: "work-list", id: "work-list" });
  for (const item of items) {
    const clock = timeLeft(item.due_at);
    const queued = queuedSteps(item.id);
    const buttons = stepsFor(item).map((step) =>
      step === "sign"
        ? h("button", { type: "button", class: "primary big", dataset: { step } , onclick: () => queueStep(item, "sign", {}) }, t("sign"))
        : h("a", { class: "button primary big", dataset: { step }, href: `#step/${item.id}/${step}` }, t(step)),
    );
    list.append(
      h(
        "li",
        { class: `work-item urgency-${item.urgency} ${clock.cls}`, dataset: { appeal: String(item.id), state: item.state } },
        h("div", { class: "work-head" }, h("strong", { class: "left" }, clock.text), " ", h("span", { class: "badge state" }, item.state_label)),
        h("p", { class: "work-title" }, item.title),
        h("p", { class: "work-meta" }, [item.tracking_code, item.category, item.address].filter(Boolean).join(" · ")),
        h("p", { class: "help" }, item.content),
        item.phone ? h("p", { class: "help" }, `${item.citizen} ${item.phone} — ${t("call_online")}`) : null,
        queued.map((r) => h("p", { class: "badge warn queued" }, `${t(r.step)}: ${t(`status_${r.status}`)}`)),
        h("div", { class: "work-actions" }, buttons),
      ),
    );
  }
  add(view, list);
}

async function queueStep(item, step, fields, files = [], record = null) {
  const target = record || { id: outbox.newId(), type: "step", appeal: item.id, step };
  target.fields = fields;
  target.files = files;
  target.label = t("step_record_label", { step: t(step), appeal: `${item.tracking_code} ${item.title}` });
  await queue(target);
  state.notice = t("step_queued");
  render();
}

async function renderStepForm(appealId, step, recordId) {
  const item = state.work.get(Number(appealId));
  const record = await existing(recordId);
  if (!item || !["contact", "conclude"].includes(step)) return renderWork();
  const fields = record ? record.fields : {};
  const errors = errorsOf(record);
  const form = h("form", { id: "step-form", novalidate: true, dataset: { editing: "1" } });
  const note = h("textarea", { name: "note", rows: 4, maxlength: 2000 }, fields.note || "");
  let result = null;
  let photos = null;
  if (step === "conclude") {
    result = h("div", { class: "radios" });
    for (const [value, text] of choices.results) {
      result.append(h("label", { class: "radio" }, h("input", { type: "radio", name: "result", value, checked: fields.result === value }), ` ${text}`));
    }
    photos = photoPicker(choices.attachment_max_files, record ? record.files : []);
  }
  add(form, 
    formTop(record),
    result ? field(t("result"), result, { name: "result", errors }) : null,
    field(t(step === "contact" ? "note_contact" : "note_conclude"), note, { name: "note", errors }),
    photos ? photos.element : null,
    photos ? photos.extra : null,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary big", id: "save-step" }, t("save"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!note.value.trim()) {
      note.closest(".field").classList.add("has-error");
      note.closest(".field").append(h("p", { class: "error", role: "alert" }, t("required")));
      return;
    }
    const data = { note: note.value.trim() };
    if (result) data.result = form.querySelector("[name=result]:checked")?.value || "";
    await queueStep(item, step, data, photos ? photos.files : [], record);
    location.hash = "#work";
  });
  add(view, h("h1", {}, t(step)), h("p", { class: "help" }, `${item.tracking_code} ${item.title}`), form);
}

// ---------------------------------------------------------------------------------------------
// The queue

function editHref(record) {
  if (record.type === "visit") return `#visit/${record.fields.household}/${record.id}`;
  if (record.type === "appeal") return `#appeal/${record.id}`;
  return `#step/${record.appeal}/${record.step}/${record.id}`;
}

async function resend(record, changes = {}) {
  Object.assign(record, changes);
  await queue(record);
}

async function discard(record, button) {
  if (button.dataset.armed !== "1") {
    button.dataset.armed = "1";
    button.textContent = t("discard_confirm");
    return;
  }
  await outbox.remove(record.id);
  await refreshRecords();
  render();
}

function conflictPanel(record) {
  const answer = record.conflict || {};
  const panel = h("div", { class: "conflict" }, h("p", { class: "form-error", role: "alert" }, answer.detail || ""));
  if (answer.code === "household_changed" && answer.current) {
    const seen = state.households.get(answer.current.id);
    add(panel, 
      h("h3", {}, t("conflict_household")),
      memberList(answer.current),
      seen && seen.version !== answer.current.version ? h("h3", {}, t("conflict_seen")) : null,
      seen && seen.version !== answer.current.version ? memberList(seen) : null,
    );
    add(panel, 
      h(
        "button",
        {
          type: "button",
          class: "primary big",
          "data-send-anyway": true,
          onclick: async () => {
            // The officer has seen the household as it is now: the news goes against that version.
            await db().then((d) => d.put("households", answer.current));
            state.households.set(answer.current.id, answer.current);
            await resend(record, { household_version: answer.current.version });
          },
        },
        t("send_anyway"),
      ),
    );
  } else if (record.type === "step") {
    add(panel, h("h3", {}, t("conflict_appeal")));
    if (answer.current) {
      add(panel, h("p", {}, `${answer.current.tracking_code} ${answer.current.title}: ${answer.current.state_label}`));
      db().then((d) => d.put("work", answer.current));
    } else add(panel, h("p", {}, t("appeal_gone")));
  }
  return panel;
}

function renderOutbox() {
  add(view, h("h1", {}, t("outbox")), notice());
  if (state.session) {
    add(view, h("div", { class: "actions" }, h("button", { type: "button", class: "primary big", id: "send-now", disabled: !state.online, onclick: () => sendNow() }, t("send_now"))));
  }
  if (!state.records.length) return add(view, h("p", { class: "empty" }, t("outbox_empty")));
  const list = h("ul", { class: "outbox", id: "outbox-list" });
  for (const record of [...state.records].reverse()) {
    const item = h(
      "li",
      { class: `rec status-${record.status}`, dataset: { record: record.id, status: record.status, type: record.type } },
      h("div", { class: "work-head" }, h("span", { class: "badge status" }, t(`status_${record.status}`)), " ", h("strong", {}, record.label || "")),
      h("p", { class: "help" }, fmtDateTime(record.created_at)),
    );
    if (!state.session) {
      list.append(item);
      continue;
    }
    if (record.status === "refused") {
      const reason = record.error || {};
      add(item, h("p", { class: "form-error reason", role: "alert" }, reason.detail || ""));
    }
    if (record.status === "conflict") add(item, conflictPanel(record));
    if (record.status === "sent" && record.server) {
      add(item, h("p", {}, record.server.url ? h("a", { href: record.server.url }, t("open")) : null));
    }
    if (["refused", "conflict"].includes(record.status)) {
      const discardButton = h("button", { type: "button", class: "secondary big", "data-discard": true });
      discardButton.textContent = t("discard");
      discardButton.addEventListener("click", () => discard(record, discardButton));
      const canEdit = record.type !== "step" || (record.step !== "sign" && state.work.has(record.appeal));
      add(item, 
        h(
          "div",
          { class: "actions" },
          canEdit ? h("a", { class: "button secondary big", href: editHref(record), "data-edit": true }, t("edit")) : null,
          record.status === "refused" ? h("button", { type: "button", class: "secondary big", "data-resend": true, onclick: () => resend(record) }, t("resend")) : null,
          discardButton,
        ),
      );
    }
    list.append(item);
  }
  add(view, list);
}

function renderSignOut() {
  const waiting = state.records.filter((r) => outbox.UNSENT.includes(r.status)).length;
  add(view, 
    h("h1", {}, t("sign_out")),
    h("p", { class: "msg warning", role: "alert" }, t("signout_confirm", { count: waiting })),
    h(
      "div",
      { class: "actions" },
      state.online ? h("button", { type: "button", class: "primary big", onclick: () => sendNow().then(() => render()) }, t("send_now")) : null,
      h("button", { type: "button", class: "danger big", id: "signout-anyway", onclick: () => signOut(true) }, t("signout_anyway")),
      h("a", { class: "button secondary big", href: "#outbox" }, t("cancel")),
    ),
  );
}

main();
