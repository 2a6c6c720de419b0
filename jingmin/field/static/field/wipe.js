// Run by the sign-in page, which a person reaches after signing out, after the idle time-out or
// when the session ended: the field app's copy of personal data is deleted from this browser.
// Records an officer made and has not sent yet stay for that officer's next sign-in.
import { exists, wipeCopy } from "./db.js";

const tag = document.querySelector("script[data-field-scope]");
const scope = (tag && tag.dataset.fieldScope) || "/field/";

async function wipe() {
  if (await exists()) await wipeCopy();
  if ("serviceWorker" in navigator) {
    const registration = await navigator.serviceWorker.getRegistration(scope);
    if (registration && registration.active) registration.active.postMessage({ type: "wipe" });
  }
  document.documentElement.dataset.fieldWiped = "1";
}

wipe().catch(() => {
  document.documentElement.dataset.fieldWiped = "error";
});
