"""The app shell: the static files the service worker keeps, their version, and the words and
choices the shell page hands to its scripts.

Nothing here is personal: the shell is the same for every officer and lives in the phone's Cache
Storage. The version is a digest of the files' bytes, so that any change to them changes the
service worker's first line, which makes the browser install the new worker, which drops the old
cache.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jingmin.appeals.models import AppealType, Result, Urgency
from jingmin.appeals.selectors import category_list
from jingmin.visits.models import RESTRICTED_KINDS, ItemKind, VisitKind

# The worker's own module and everything the page loads. The page's modules import each other by
# relative names, which the browser asks for unhashed even where the storage hashes names; both
# forms are kept (see `shell_urls`).
WORKER_MODULE = "field/worker.js"
SHELL_FILES = (
    "core/app.css",
    "core/prefs.js",
    "core/app.js",
    "field/field.css",
    "field/app.js",
    "field/db.js",
    "field/outbox.js",
    "field/photos.js",
    "field/ui.js",
    WORKER_MODULE,
    "field/icon-192.png",
    "field/icon-512.png",
    "vendor/idb/index.js",
)


def _bytes(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(path) as handle:
        return handle.read()


@cache
def version() -> str:
    digest = hashlib.sha256()
    for path in SHELL_FILES:
        digest.update(path.encode() + b"\0" + _bytes(path) + b"\0")
    return digest.hexdigest()[:16]


def shell_urls() -> list[str]:
    urls: list[str] = []
    for path in SHELL_FILES:
        for url in (static(path), settings.STATIC_URL + path):
            if url not in urls:
                urls.append(url)
    return urls


def worker_source() -> str:
    config = {
        "version": version(),
        "shell": shell_urls(),
        "start": reverse("field:app"),
        "sync": reverse("field:sync"),
    }
    return (
        f"// Jingmin field app, shell {config['version']}\n"
        f"import {{ start }} from {json.dumps(static(WORKER_MODULE))};\n"
        f"start(self, {json.dumps(config)});\n"
    )


def choices() -> dict[str, Any]:
    """The choices of the forms, in the person's language. Persuasion is not among the kinds of
    visit: it is never recorded from the phone."""
    categories = [
        {"id": c.pk, "name": c.name, "group": c.parent.name if c.parent else ""}
        for c in category_list(leaves_only=True).order_by("parent__position", "position", "id")
    ]
    return {
        "visit_kinds": [[v, str(label)] for v, label in VisitKind.choices if v not in RESTRICTED_KINDS],
        "item_kinds": [[v, str(label)] for v, label in ItemKind.choices],
        "appeal_types": [[v, str(label)] for v, label in AppealType.choices],
        "urgencies": [[v, str(label)] for v, label in Urgency.choices],
        "results": [[v, str(label)] for v, label in Result.choices],
        "categories": categories,
        "photo_max_files": settings.VISIT_PHOTO_MAX_FILES,
        "attachment_max_files": settings.APPEAL_ATTACHMENT_MAX_FILES,
        "urls": {
            "session": reverse("field:session"),
            "copy": reverse("field:copy"),
            "sync": reverse("field:sync"),
            "signin": reverse("org:signin"),
            "signout": reverse("org:signout"),
            "scope": reverse("field:app"),
        },
    }


def strings() -> dict[str, str]:
    """Every sentence the scripts show, translated here so that the catalog holds them all."""
    return {
        "online": _("Online"),
        "offline": _("Offline: records wait on this phone"),
        "waiting_count": _("%(count)s waiting"),
        "send_now": _("Send now"),
        "today": _("Today's plan"),
        "households": _("Households"),
        "work": _("My work"),
        "outbox": _("Waiting to send"),
        "sign_out": _("Sign out"),
        "no_copy": _("Your district is not on this phone yet. Connect to the network once to copy it."),
        "copy_from": _("Copy of %(district)s made %(time)s; it is deleted after %(days)s days."),
        "copy_expired": _(
            "The copy on this phone was older than %(days)s days and has been deleted. Connect to make a new one."
        ),
        "refresh": _("Refresh the copy"),
        "due": _("Due %(date)s"),
        "overdue": _("Overdue since %(date)s"),
        "never_visited": _("Never visited"),
        "last_visit": _("Last visit %(date)s"),
        "record_visit": _("Record a visit"),
        "search_households": _("Address, number or head of household"),
        "no_match": _("No household matches."),
        "members": _("Members"),
        "age": _("%(age)s years"),
        "tasks": _("My tasks"),
        "no_plan": _("No household is due for a visit."),
        "no_tasks": _("No open tasks."),
        "visit_title": _("Visit"),
        "kind": _("Kind of visit"),
        "when": _("When"),
        "summary": _("What the visit was about and what was learned"),
        "news": _("Family news"),
        "news_kind": _("News"),
        "news_text": _("What was learned"),
        "news_person": _("Who"),
        "nobody": _("Nobody in the ledger"),
        "add_news": _("Add news"),
        "remove": _("Remove"),
        "photos": _("Photos"),
        "photos_chosen": _("Photos chosen: %(count)s"),
        "photos_help": _("Photos are made smaller on the phone before they wait to be sent."),
        "locate": _("Use my location"),
        "located": _("Position taken (±%(m)s m)"),
        "locate_failed": _("The phone gave no position."),
        "save": _("Save; it is sent when the network allows"),
        "saved": _("Saved on this phone. It is sent as soon as the network allows."),
        "cancel": _("Cancel"),
        "required": _("Fill in this field."),
        "appeal_title": _("Register what a citizen asks"),
        "type": _("Type"),
        "category": _("Category"),
        "urgency": _("Urgency"),
        "title": _("Title"),
        "content": _("What the citizen asks for"),
        "address": pgettext("street address", "Address"),
        "district": _("Police district"),
        "anonymous": _("Anonymous"),
        "citizen_name": _("Citizen's name"),
        "citizen_phone": _("Citizen's phone"),
        "received_at": _("Received at"),
        "no_work": _("Nothing waits for you."),
        "time_left": _("%(time)s left"),
        "time_over": _("Overdue by %(time)s"),
        "hours": _("%(n)s h"),
        "days": _("%(n)s d"),
        "minutes": _("%(n)s min"),
        "no_clock": _("No clock running"),
        "sign": _("Sign for"),
        "contact": _("Record contact"),
        "conclude": _("Conclude"),
        "note_contact": _("What was said with the citizen"),
        "note_conclude": _("What was done"),
        "result": _("Result"),
        "step_queued": _("This step waits to be sent."),
        "call_online": _(
            "Calling the citizen needs the network: open the appeal's page to reveal the number."
        ),
        "status_waiting": _("Waiting"),
        "status_sending": _("Sending"),
        "status_refused": _("Refused"),
        "status_conflict": _("Conflict"),
        "status_sent": _("Sent"),
        "outbox_empty": _("Nothing waits to be sent."),
        "edit": _("Change the record"),
        "resend": _("Send again"),
        "discard": _("Delete from this phone"),
        "discard_confirm": _("Delete this record from the phone? It has not reached the server."),
        "conflict_household": _("How the household is now"),
        "conflict_seen": _("What your phone showed"),
        "send_anyway": _("My news still holds: send it"),
        "conflict_appeal": _("How the appeal is now"),
        "appeal_gone": _("The appeal is no longer in your sight."),
        "open": _("Open"),
        "signed_out": _("You are signed out. The copy of your district was deleted from this phone."),
        "idle_out": _(
            "You were signed out after %(minutes)s minutes without activity. The copy of your district was deleted from this phone."
        ),
        "kept_records": _(
            "%(count)s records you made wait on this phone and are sent after you sign in again."
        ),
        "sign_in": _("Sign in"),
        "signout_confirm": _(
            "%(count)s records have not reached the server. Signing out deletes them from this phone."
        ),
        "signout_anyway": _("Delete them and sign out"),
        "signout_offline": _("Signed out on this phone. Sign in again when you have a network."),
        "district_choice": _("Police district"),
        "visit_record_label": _("%(kind)s · %(household)s"),
        "step_record_label": _("%(step)s · %(appeal)s"),
        "install_hint": _(
            "Add this app to your home screen from the browser's menu to open it without a network."
        ),
    }
