"""The permission matrix's rows for the appeals pages (see `jingmin/core/tests/access.py`).

The world holds one appeal of station A in each state a step starts from, all taken there by
Clara and Oliver along the usual path (dispatched to district A1), one attachment, and a
follow-up link whose token is known.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingmin.appeals import services
from jingmin.appeals.models import Category, FollowUp, State
from jingmin.appeals.tests.conftest import appeal_input, walk_to
from jingmin.core.crypto import lookup_hash
from jingmin.core.tests.access import (
    BUSINESS,
    EVERYONE,
    NOBODY,
    SIGNED_IN,
    STATION_A,
    Row,
    action,
    form,
    get,
    page,
    post,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CITIZEN_TOKEN = "matrix-citizen-link-token"

INTAKE = frozenset({"clara", "chen"})
HANDLE = frozenset({"oliver", "chen"})
SUPERVISE = frozenset({"chen", "li", "ines"})
REVIEW = frozenset({"li", "ines"})


def build(w):
    p = w.p

    def at(state: str, **overrides) -> object:
        appeal, _created = services.appeal_register(actor=p.clara, data=appeal_input(**overrides))
        return walk_to(p, appeal, state) if state != State.SUBMITTED else appeal

    a = SimpleNamespace(
        submitted=at(State.SUBMITTED),
        accepted=at(State.ACCEPTED, title="小区门口违停"),
        dispatched=at(State.DISPATCHED),
        signed=at(State.SIGNED),
        handling=at(State.HANDLING),
        concluded=at(State.CONCLUDED),
        followed_up=at(State.FOLLOWED_UP),
        dissatisfied=at(State.CONCLUDED),
        reviewed=at(State.CONCLUDED),
        # The text speaks of a missing child: an urgency is suggested for the clerk to decide.
        urgent=at(State.SUBMITTED, content="孩子放学后一直没回家，电话也打不通。"),
    )
    for appeal in (a.dissatisfied, a.reviewed):
        services.appeal_follow_up(
            actor=p.clara, appeal_id=appeal.pk, resolved=False, satisfaction=1, note="仍有噪音"
        )
    services.appeal_review(actor=p.li, appeal_id=a.reviewed.pk, reasonable=False, note="诉求超出职责范围")
    services.appeal_attach(actor=p.clara, appeal_id=a.dispatched.pk, files=[_png("现场.png")])
    a.attachment = a.dispatched.attachments.get()
    # The SMS carries a random token and only its keyed hash is stored: the world sets its own.
    FollowUp.objects.filter(appeal=a.concluded, answered_at__isnull=True).update(
        token_hash=lookup_hash(CITIZEN_TOKEN)
    )
    a.citizen_token = CITIZEN_TOKEN
    for name in vars(a).copy():
        row = getattr(a, name)
        if hasattr(row, "refresh_from_db"):
            row.refresh_from_db()
    return a


def _png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


# Who may take each step on the world's appeal waiting for it (station A, dispatched to district
# A1), the pages and the API alike: the capability of the transitions table, and for the holder's
# steps the holder's subtree.
STEPS: dict[str, tuple[str, frozenset[str]]] = {
    "accept": ("submitted", INTAKE),
    "reject": ("submitted", INTAKE),
    "dispatch": ("accepted", INTAKE),
    "sign": ("dispatched", HANDLE),
    "contact": ("signed", HANDLE),
    "transfer": ("signed", frozenset({"clara", "oliver", "chen", "li", "ines"})),
    "return": ("signed", HANDLE),
    "conclude": ("handling", HANDLE),
    # Oliver concluded it: the follow-up is someone else's to record.
    "follow-up": ("concluded", frozenset({"clara", "chen"})),
    "review": ("dissatisfied", REVIEW),
    "reopen": ("reviewed", SUPERVISE),
    "supervise": ("dispatched", SUPERVISE),
    "merge": ("submitted", frozenset({"clara", "chen", "li", "ines"})),
    "archive": ("followed_up", frozenset({"clara", "chen", "li", "ines"})),
    "attach": ("dispatched", frozenset({"clara", "oliver", "chen"})),
    "urgency": ("urgent", INTAKE),
}


# Refused by scope (404) although the role is not the one allowed: Oliver concluded the appeal
# waiting for its follow-up, so he is refused it (403), while Olga does not even see it.
OUTSIDE: dict[str, frozenset[str]] = {"follow-up": frozenset({"olga"})}


def in_state(state: str):
    """The path argument of the world's appeal in this state."""
    return lambda w: {"pk": getattr(w.appeals, state).pk}


def step_pk(action_name: str):
    """The path argument of the world's appeal that waits for this step."""
    return in_state(STEPS[action_name][0])


def _step(action_name: str, body=None, lands="appeals:detail"):
    """A step on the page; the form's fields carry the step's name as their prefix."""
    fields = body or {}
    return post(
        STEPS[action_name][1],
        label=action_name,
        args=lambda w: {**step_pk(action_name)(w), "action": action_name},
        body=lambda w: {f"{action_name}-{k}": v(w) if callable(v) else v for k, v in fields.items()},
        lands=lands,
        outside=OUTSIDE.get(action_name, frozenset()),
    )


# A step that takes the appeal out of an officer's district sends them to their worklist.
LEAVES_SCOPE = ("appeals:detail", "appeals:mine")


def _intake_body(w):
    """The intake form as the clerk fills it in, with the appeals tests' usual appeal."""
    data = vars(appeal_input())
    return {
        **{k: v for k, v in data.items() if isinstance(v, str) and v},
        "category": str(data["category"].pk),
        "submission_key": "matrix-intake-0001",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


ROWS = [
    page("appeals:queue", BUSINESS),
    page("appeals:mine", frozenset({"oliver", "olga", "chen"})),
    page("appeals:supervision", SUPERVISE),
    page("appeals:reviews", REVIEW),
    page("appeals:follow_ups", frozenset({"clara", "oliver", "olga", "chen"})),
    form("appeals:new", INTAKE, body=_intake_body, lands="appeals:new"),
    # Read-only: the caller's open appeals while the clerk types the number.
    action(
        "appeals:same_caller",
        INTAKE,
        body=lambda w: {"citizen_phone": "13812345678"},
        ok=(200,),
        writes=NOBODY,
    ),
    # "Merge into" at intake: the contact joins an open appeal's history, nothing is registered.
    action(
        "appeals:merge_into",
        INTAKE,
        args=in_state("submitted"),
        body=lambda w: {"channel": "phone", "title": "又来电反映", "content": "同一件事，还没有处理。"},
        ok=(204,),
    ),
    # The export is an audited read.
    page("appeals:export", BUSINESS),
    page("appeals:supervision_export", SUPERVISE),
    page("appeals:follow_ups_export", frozenset({"clara", "oliver", "olga", "chen"})),
    page("appeals:follow_ups_print", frozenset({"clara", "oliver", "olga", "chen"})),
    form(
        "appeals:settings",
        frozenset({"sam"}),
        body=lambda w: {
            "form": "category_create",
            "new-parent": str(Category.objects.get(code="order").pk),
            "new-code": "order-matrix",
            "new-name": "矩阵测试类别",
            "new-position": "9",
        },
        lands="appeals:settings",
    ),
    page("appeals:detail", STATION_A, args=in_state("dispatched")),
    # Each reveal is an audited read.
    action("appeals:reveal_phone", STATION_A, args=in_state("dispatched"), ok=(200,)),
    Row(
        "appeals:act",
        (
            get(SIGNED_IN, args=lambda w: {"pk": w.appeals.submitted.pk, "action": "accept"}, ok=(405,)),
            _step("accept"),
            _step("reject", {"reason": "非警务事项"}),
            _step("dispatch", {"unit": lambda w: w.p.district_a1.pk}),
            _step("sign"),
            _step("contact", {"note": "已电话联系"}),
            _step(
                "transfer", {"unit": lambda w: w.p.district_a2.pk, "reason": "属地不符"}, lands=LEAVES_SCOPE
            ),
            _step("return", {"reason": "职能交叉"}, lands=LEAVES_SCOPE),
            _step("conclude", {"result": "solved", "note": "已调解"}),
            _step("follow-up", {"resolved": "1", "satisfaction": "4"}),
            _step("review", {"reasonable": "1", "note": "合理"}),
            _step("reopen", {"reason": "再次反映"}),
            _step("supervise", {"note": "限期办结"}),
            _step("merge", {"into": lambda w: w.appeals.accepted.tracking_code}),
            _step("archive"),
            _step("attach", {"files": lambda w: _png("补充.png")}),
            _step("urgency", {"confirm": "1"}),
        ),
    ),
    # Several appeals, one step each; the step is in the address and its capability decides.
    Row(
        "appeals:batch",
        (
            get(SIGNED_IN, args=lambda w: {"action": "supervise"}, ok=(405,)),
            post(
                SUPERVISE,
                label="supervise",
                args=lambda w: {"action": "supervise"},
                body=lambda w: {"ids": [str(w.appeals.dispatched.pk)], "note": "限期办结"},
                ok=(200,),
            ),
        ),
    ),
    # Opening a file is an audited read.
    page("appeals:attachment", STATION_A, args=lambda w: {"pk": w.appeals.attachment.pk}),
    # The citizen's link from the SMS: the token is the credential, a session adds nothing.
    Row(
        "appeals:citizen_follow_up",
        (
            get(EVERYONE, args=lambda w: {"token": w.appeals.citizen_token}, public=True),
            post(
                EVERYONE,
                args=lambda w: {"token": w.appeals.citizen_token},
                body=lambda w: {"resolved": "1", "satisfaction": "5"},
                lands="appeals:citizen_follow_up",
            ),
        ),
    ),
]
