// The queue of records made on the phone, and the one loop that sends them.
//
// Each record has an id made here (a UUID) that the server keeps as its submission key, so a
// record sent twice (the answer to the first sending was lost) is created once. The loop runs in
// the page and in the service worker (background sync); a Web Lock keeps the two from sending at
// the same time.
import { db, getMeta, OUTBOX } from "./db.js";

export const UNSENT = ["waiting", "sending", "refused", "conflict"];
const LOCK = "jingmin-field-outbox";

export function newId() {
  return crypto.randomUUID();
}

export async function put(record) {
  record.updated_at = new Date().toISOString();
  return (await db()).put(OUTBOX, record);
}

export async function get(id) {
  return (await db()).get(OUTBOX, id);
}

export async function remove(id) {
  return (await db()).delete(OUTBOX, id);
}

export async function list(userId) {
  const all = await (await db()).getAll(OUTBOX);
  return all
    .filter((r) => r.user === userId)
    .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
}

export async function unsentCount(userId) {
  const all = await (await db()).getAll(OUTBOX);
  return all.filter((r) => (userId === undefined || r.user === userId) && UNSENT.includes(r.status)).length;
}

// A page closed in the middle of sending left records marked "sending": they wait again (sending
// them twice is harmless).
export async function recover() {
  const all = await (await db()).getAll(OUTBOX);
  for (const r of all) if (r.status === "sending") { r.status = "waiting"; await put(r); }
}

function appendFields(form, prefix, rows, names) {
  form.append(`${prefix}-TOTAL_FORMS`, String(rows.length));
  form.append(`${prefix}-INITIAL_FORMS`, "0");
  form.append(`${prefix}-MIN_NUM_FORMS`, "0");
  form.append(`${prefix}-MAX_NUM_FORMS`, "1000");
  rows.forEach((row, i) => {
    for (const name of names) form.append(`${prefix}-${i}-${name}`, row[name] == null ? "" : String(row[name]));
  });
}

// The request body: the pages' own field names, so the pages' forms read it.
export function body(record) {
  const form = new FormData();
  form.append("client_id", record.id);
  form.append("record", record.type);
  const fields = record.fields || {};
  if (record.type === "visit") {
    form.append("household_version", record.household_version || "");
    for (const name of ["household", "kind", "visited_at", "latitude", "longitude", "accuracy", "summary"]) {
      form.append(name, fields[name] == null ? "" : String(fields[name]));
    }
    appendFields(form, "items", fields.items || [], ["kind", "text", "person"]);
    appendFields(form, "follow_ups", [], []);
  } else {
    if (record.type === "step") {
      form.append("appeal", String(record.appeal));
      form.append("step", record.step);
    }
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === "boolean") { if (value) form.append(name, "on"); }
      else form.append(name, value == null ? "" : String(value));
    }
  }
  const fileField = record.type === "visit" ? "photos" : "files";
  (record.files || []).forEach((file, i) => form.append(fileField, file.blob, `photo-${i + 1}.jpg`));
  return form;
}

async function sendOne(record, syncUrl, csrf) {
  let response;
  try {
    response = await fetch(syncUrl, {
      method: "POST",
      body: body(record),
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
      redirect: "manual",
    });
  } catch (e) {
    return "offline";
  }
  const json = (response.headers.get("Content-Type") || "").includes("application/json");
  const answer = json ? await response.json().catch(() => null) : null;
  // Signed out (idle time-out, session over) or a stale CSRF token: nothing was done.
  if (response.type === "opaqueredirect" || response.status === 401 || (!json && response.status === 403)) {
    return "signed_out";
  }
  if (response.ok && answer) {
    record.status = "sent";
    record.server = answer;
    record.sent_at = new Date().toISOString();
    record.error = null;
    record.conflict = null;
    // What reached the server needs no copy here.
    delete record.fields;
    delete record.files;
  } else if (response.status === 409 && answer) {
    record.status = "conflict";
    record.conflict = answer;
  } else if ([400, 403, 404].includes(response.status) && answer) {
    record.status = "refused";
    record.error = answer;
  } else {
    return "offline";
  }
  await put(record);
  return "answered";
}

// Send every waiting record of the signed-in officer, oldest first. A record the server refuses
// or answers with a conflict stays, with the answer, for the officer; the others go on.
export async function sendAll({ syncUrl, onChange = () => {} }) {
  const run = async () => {
    const session = await getMeta("session");
    if (!session) return { signedOut: true, sent: 0 };
    const result = { signedOut: false, offline: false, sent: 0 };
    for (const record of await list(session.user.id)) {
      if (record.status !== "waiting") continue;
      record.status = "sending";
      await put(record);
      onChange();
      const outcome = await sendOne(record, syncUrl, session.csrf);
      if (outcome === "answered") {
        if (record.status === "sent") result.sent += 1;
        onChange();
        continue;
      }
      record.status = "waiting";
      await put(record);
      onChange();
      if (outcome === "signed_out") result.signedOut = true;
      else result.offline = true;
      break;
    }
    return result;
  };
  if (typeof navigator !== "undefined" && navigator.locks) return navigator.locks.request(LOCK, run);
  return run();
}
