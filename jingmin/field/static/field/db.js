// The phone's storage of the field app (IndexedDB, through the idb package).
//
// Two kinds of data live here. The copy (households of the district, today's plan, tasks,
// "my work", the session): personal data the server handed out, deleted at sign-out, at the idle
// time-out and when it is older than the setting. The outbox: records the officer made, which
// wait here until the server has them; unsent ones survive the idle time-out (deleting them would
// lose the visit) and are deleted at sign-out only after the officer was told.
import { openDB } from "../vendor/idb/index.js";

export const DB_NAME = "jingmin-field";
export const COPY_STORES = ["households", "plan", "tasks", "work", "meta"];
export const OUTBOX = "outbox";

let opening = null;

export function db() {
  if (!opening) {
    opening = openDB(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore("households", { keyPath: "id" });
        d.createObjectStore("plan", { keyPath: "household" });
        d.createObjectStore("tasks", { keyPath: "id" });
        d.createObjectStore("work", { keyPath: "id" });
        d.createObjectStore("meta");
        d.createObjectStore(OUTBOX, { keyPath: "id" });
      },
      blocking() {
        // Another tab or the worker wants a newer version: let it have the database.
        const pending = opening;
        opening = null;
        if (pending) pending.then((d) => d.close());
      },
    });
  }
  return opening;
}

export async function getMeta(key) {
  return (await db()).get("meta", key);
}

export async function setMeta(key, value) {
  return (await db()).put("meta", value, key);
}

export async function getAll(store) {
  return (await db()).getAll(store);
}

export async function saveCopy(copy) {
  const d = await db();
  const tx = d.transaction(["households", "plan", "tasks", "work", "meta"], "readwrite");
  const puts = [];
  for (const name of ["households", "plan", "tasks", "work"]) puts.push(tx.objectStore(name).clear());
  for (const h of copy.households) puts.push(tx.objectStore("households").put(h));
  for (const p of copy.plan) puts.push(tx.objectStore("plan").put(p));
  for (const t of copy.tasks) puts.push(tx.objectStore("tasks").put(t));
  for (const w of copy.work) puts.push(tx.objectStore("work").put(w));
  puts.push(
    tx.objectStore("meta").put(
      { generated_at: copy.generated_at, expires_at: copy.expires_at, district: copy.district },
      "copy",
    ),
  );
  await Promise.all(puts);
  await tx.done;
}

async function clear(stores, keepUnsent) {
  const d = await db();
  const tx = d.transaction([...stores, OUTBOX], "readwrite");
  const work = stores.map((name) => tx.objectStore(name).clear());
  if (keepUnsent) {
    // Sent records only say what reached the server: they go with the copy.
    let cursor = await tx.objectStore(OUTBOX).openCursor();
    while (cursor) {
      if (cursor.value.status === "sent") work.push(cursor.delete());
      cursor = await cursor.continue();
    }
  } else {
    work.push(tx.objectStore(OUTBOX).clear());
  }
  await Promise.all(work);
  await tx.done;
}

// The copy and what was sent; records still waiting stay for their officer.
export function wipeCopy() {
  return clear(COPY_STORES, true);
}

// Everything, the waiting records included (sign-out, after the officer was told).
export function wipeAll() {
  return clear(COPY_STORES, false);
}

// Whether the database exists at all, without creating it (the sign-in page asks).
export async function exists() {
  if (!indexedDB.databases) return true;
  const all = await indexedDB.databases();
  return all.some((info) => info.name === DB_NAME);
}
