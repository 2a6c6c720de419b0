"""The permission matrix's rows for visits (see `jingmin/core/tests/access.py`).

Those who record visits (the officers and the chief) have the day's plan, the form and the tasks;
everyone of the business reads the visits and the coverage of their scope; the chief sets the
plans. The world is a visit Oliver made to the ledger rows' household in district A1, with a
photo and a task to follow.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingmin.core.tests.access import BUSINESS, STATION_A, action, form, page
from jingmin.visits import services
from jingmin.visits.tests.conftest import visit_input

NEEDS = ("ledger",)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
RECORD = frozenset({"oliver", "olga", "chen"})
# Oliver recorded the visit; the chief above him may correct it and tick his tasks.
OLIVERS_OR_CHIEF = frozenset({"oliver", "chen"})


def build(w):
    visit, _created = services.visit_record(
        actor=w.p.oliver,
        data=visit_input(
            household=w.ledger.household.pk,
            follow_ups=[
                services.FollowUpInput(
                    kind="task", text="下周回访独居老人", due_on=timezone.localdate() + timedelta(days=7)
                )
            ],
        ),
        photos=[SimpleUploadedFile("走访.png", PNG, content_type="image/png")],
    )
    return SimpleNamespace(visit=visit, task=visit.follow_ups.get(), photo=visit.photos.get())


def _a1(w):
    return {"unit": w.p.district_a1.pk}


def _record_body(w):
    return {
        "submission_key": "matrix-visit-0001",
        "household": str(w.ledger.household.pk),
        "kind": "household",
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "summary": "入户走访，了解家庭近况。",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "follow_ups-TOTAL_FORMS": "0",
        "follow_ups-INITIAL_FORMS": "0",
    }


ROWS = [
    page("visits:today", RECORD),
    form(
        "visits:record",
        OLIVERS_OR_CHIEF,
        query=lambda w: {"household": w.ledger.household.pk},
        body=_record_body,
        lands="visits:detail",
    ),
    page("visits:household_search", RECORD, query=lambda w: {"q": "东门路"}),
    page("visits:list", BUSINESS),
    page("visits:household", STATION_A, args=lambda w: {"pk": w.ledger.household.pk}),
    page("visits:person", STATION_A, args=lambda w: {"pk": w.ledger.person.pk}),
    page("visits:organisation", STATION_A, args=lambda w: {"pk": w.ledger.organisation.pk}),
    page("visits:tasks", RECORD),
    action(
        "visits:task_done",
        OLIVERS_OR_CHIEF,
        args=lambda w: {"pk": w.visits.task.pk},
        body=lambda w: {"done": "1"},
        lands="visits:tasks",
    ),
    page("visits:coverage", STATION_A, query=_a1),
    page("visits:coverage_map", STATION_A, query=_a1),
    form(
        "visits:plans",
        frozenset({"chen"}),
        body=lambda w: {
            "district_pk": str(w.p.district_a1.pk),
            f"d{w.p.district_a1.pk}-district": str(w.p.district_a1.pk),
            f"d{w.p.district_a1.pk}-months": "3",
        },
        lands="visits:plans",
    ),
    page("visits:detail", STATION_A, args=lambda w: {"pk": w.visits.visit.pk}),
    action(
        "visits:amend",
        OLIVERS_OR_CHIEF,
        args=lambda w: {"pk": w.visits.visit.pk},
        body=lambda w: {
            "amend-reason": "补记走访时了解的情况",
            "amend-summary": "入户走访，老人身体尚好。",
            "amend_items-TOTAL_FORMS": "0",
            "amend_items-INITIAL_FORMS": "0",
        },
        lands="visits:detail",
    ),
    # Each viewing of a photo is recorded.
    page("visits:photo", STATION_A, args=lambda w: {"pk": w.visits.photo.pk}),
]
