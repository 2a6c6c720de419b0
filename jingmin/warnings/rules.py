"""The rules of early warning: from records to findings.

Each rule is a function of one subject (a caller's phone hash, an address, a record, a dispute, a
category in a police district, a household) and the present time, and returns the finding for
it, or none. The on-commit task asks the rules about the subjects of the record just written;
the nightly sweep lists every subject with something in its window and asks the same functions —
so both paths reach the same findings. `signals.apply` turns a finding into a signal.

The rules and their thresholds (settings):

- repeat caller / repeat address: at least `WARNING_REPEAT_MIN` appeals from one keyed phone hash,
  or with one address, received in the last `WARNING_REPEAT_DAYS` days;
- risk words: a theme's words found (negation and quotation considered, `matcher.py`) in an
  appeal, a visit's notes and news, or a dispute; one signal per subject (the caller or the
  appeal, the household visited, the dispute), whatever the themes;
- dispute past its deadline (open, deadline passed); dispute re-graded upward (each such event);
  a party (ledger person, or keyed ID number or phone hash) in two or more open disputes;
- spike: one category's appeals of one police district in the last `WARNING_SPIKE_WINDOW_DAYS`
  days, x, against the counts of the `WARNING_SPIKE_BASELINE_WINDOWS` windows before, of mean m:
  raised when x ≥ `WARNING_SPIKE_MIN` and x > m + `WARNING_SPIKE_Z` × √max(m, 1) — a Poisson
  count's standard deviation is the square root of its mean, floored at 1 so that a quiet
  district needs a real jump, not one appeal more;
- hardship without help: family news of hardship, illness or a death in the last
  `WARNING_HARDSHIP_DAYS` days for a household that has no open help case.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q

from jingmin.appeals.models import Appeal
from jingmin.cases.selectors import households_with_open_help
from jingmin.disputes.models import GRADE_RANK, Dispute, DisputeEvent, EventAction, Grade, Party
from jingmin.visits.models import ItemKind, Visit, VisitItem
from jingmin.warnings.codes import RecordType
from jingmin.warnings.matcher import Matcher
from jingmin.warnings.models import Kind, Severity, Theme

HIGH_THEMES = frozenset({Theme.SELF_HARM, Theme.VIOLENCE, Theme.REVENGE, Theme.EXPLOSIVES, Theme.DOMESTIC})
HARDSHIP_KINDS = (ItemKind.HARDSHIP, ItemKind.ILLNESS, ItemKind.DEATH)


@dataclass(frozen=True)
class Proof:
    record_type: str
    record_id: int
    mark: str = ""
    detail: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def ident(self) -> tuple[str, int, str]:
        return (self.record_type, self.record_id, self.mark)


@dataclass(frozen=True)
class Finding:
    kind: str
    key: str
    severity: str
    title: str
    unit_id: int
    evidence: tuple[Proof, ...]
    assignee_id: int | None = None
    themes: tuple[str, ...] = ()


def _unit_of(appeal: Appeal) -> int:
    return appeal.district_id or appeal.unit_id


# ---------------------------------------------------------------------------------------------
# Repeats


def _repeat(kind: str, key: str, appeals: list[Appeal], title: str) -> Finding | None:
    if len(appeals) < settings.WARNING_REPEAT_MIN:
        return None
    latest = max(appeals, key=lambda a: (a.received_at, a.pk))
    severity = Severity.HIGH if len(appeals) >= 2 * settings.WARNING_REPEAT_MIN else Severity.MEDIUM
    return Finding(
        kind=kind,
        key=key,
        severity=severity,
        title=title,
        unit_id=_unit_of(latest),
        assignee_id=latest.handler_id,
        evidence=tuple(Proof(RecordType.APPEAL, a.pk) for a in sorted(appeals, key=lambda a: a.pk)),
    )


def _window(now: datetime) -> datetime:
    return now - timedelta(days=settings.WARNING_REPEAT_DAYS)


def repeat_caller(phone_hash: str, now: datetime) -> Finding | None:
    if not phone_hash:
        return None
    appeals = list(
        Appeal.objects.filter(
            citizen_phone_hash=phone_hash, received_at__gt=_window(now), received_at__lte=now
        )
        .filter(merged_into__isnull=True)
        .only("pk", "received_at", "district_id", "unit_id", "handler_id")
    )
    return _repeat(Kind.REPEAT_CALLER, f"repeat_caller:{phone_hash}", appeals, "")


def _address_key(address: str) -> str:
    return "".join(address.split())


def repeat_address(address: str, now: datetime) -> Finding | None:
    compact = _address_key(address)
    if not compact:
        return None
    appeals = list(
        Appeal.objects.filter(address=address, received_at__gt=_window(now), received_at__lte=now)
        .filter(merged_into__isnull=True)
        .only("pk", "received_at", "district_id", "unit_id", "handler_id")
    )
    # The key holds a digest, not the address: keys show in logs and the API.
    digest = hashlib.sha256(compact.encode()).hexdigest()[:32]
    return _repeat(Kind.REPEAT_ADDRESS, f"repeat_address:{digest}", appeals, "")


# ---------------------------------------------------------------------------------------------
# Risk words


def _risk(
    key: str, found: dict[str, list[str]], proof: Proof, unit_id: int, assignee: int | None
) -> Finding | None:
    if not found:
        return None
    themes = tuple(sorted(found))
    severity = Severity.HIGH if any(t in HIGH_THEMES for t in themes) else Severity.MEDIUM
    detail: dict[str, object] = {"words": {t: found[t] for t in themes}}
    return Finding(
        kind=Kind.RISK_WORDS,
        key=key,
        severity=severity,
        title="",
        unit_id=unit_id,
        assignee_id=assignee,
        themes=themes,
        evidence=(Proof(proof.record_type, proof.record_id, proof.mark, detail),),
    )


def risk_in_appeal(appeal: Appeal, matcher: Matcher) -> Finding | None:
    subject = f"phone:{appeal.citizen_phone_hash}" if appeal.citizen_phone_hash else f"appeal:{appeal.pk}"
    found = matcher.themes_in(f"{appeal.title}\n{appeal.content}")
    return _risk(
        f"risk:{subject}", found, Proof(RecordType.APPEAL, appeal.pk), _unit_of(appeal), appeal.handler_id
    )


def _visit_text(visit: Visit) -> str:
    parts = [visit.summary]
    parts += [a.summary for a in visit.amendments.all() if a.summary]
    parts += [i.text for i in visit.items.all()]
    return "\n".join(parts)


def risk_in_visit(visit: Visit, matcher: Matcher) -> Finding | None:
    if visit.withdrawn or visit.restricted:
        # A persuasion visit is read by its author and chiefs only; its words raise nothing others see.
        return None
    if visit.household_id is not None:
        subject = f"household:{visit.household_id}"
    elif visit.person_id is not None:
        subject = f"person:{visit.person_id}"
    else:
        subject = f"organisation:{visit.organisation_id}"
    found = matcher.themes_in(_visit_text(visit))
    return _risk(
        f"risk:{subject}", found, Proof(RecordType.VISIT, visit.pk), visit.district_id, visit.officer_id
    )


def _dispute_text(dispute: Dispute) -> str:
    parts = [dispute.title, dispute.description, dispute.outcome]
    for m in dispute.mediations.all():
        parts += [m.what, m.agreed]
    return "\n".join(p for p in parts if p)


def risk_in_dispute(dispute: Dispute, matcher: Matcher) -> Finding | None:
    found = matcher.themes_in(_dispute_text(dispute))
    return _risk(
        f"risk:dispute:{dispute.pk}",
        found,
        Proof(RecordType.DISPUTE, dispute.pk),
        dispute.district_id,
        dispute.officer_id,
    )


# ---------------------------------------------------------------------------------------------
# Disputes


def dispute_overdue(dispute: Dispute, now: datetime) -> Finding | None:
    if not dispute.is_open or dispute.deadline >= now:
        return None
    severity = Severity.HIGH if dispute.grade in (Grade.RED, Grade.ORANGE) else Severity.MEDIUM
    return Finding(
        kind=Kind.DISPUTE_OVERDUE,
        key=f"dispute_overdue:{dispute.pk}",
        severity=severity,
        title=dispute.number,
        unit_id=dispute.district_id,
        assignee_id=dispute.officer_id,
        # A new deadline (after re-grading) that passes too is new evidence.
        evidence=(Proof(RecordType.DISPUTE, dispute.pk, f"deadline:{dispute.deadline:%Y-%m-%dT%H:%M}"),),
    )


def dispute_upgraded(dispute: Dispute, events: Iterable[DisputeEvent]) -> Finding | None:
    ups = [
        e
        for e in events
        if e.action == EventAction.REGRADE
        and e.from_grade
        and GRADE_RANK[Grade(e.to_grade)] > GRADE_RANK[Grade(e.from_grade)]
    ]
    if not ups:
        return None
    top = max(GRADE_RANK[Grade(e.to_grade)] for e in ups)
    return Finding(
        kind=Kind.DISPUTE_UPGRADED,
        key=f"dispute_upgraded:{dispute.pk}",
        severity=Severity.HIGH if top >= GRADE_RANK[Grade.ORANGE] else Severity.MEDIUM,
        title=dispute.number,
        unit_id=dispute.district_id,
        assignee_id=dispute.officer_id,
        evidence=tuple(
            Proof(RecordType.DISPUTE, dispute.pk, f"event:{e.seq}", {"grade": [e.from_grade, e.to_grade]})
            for e in ups
        ),
    )


def _party_subjects(party: Party) -> list[str]:
    subjects = []
    if party.person_id is not None:
        subjects.append(f"person:{party.person_id}")
    if party.id_hash:
        subjects.append(f"id:{party.id_hash}")
    if party.phone_hash:
        subjects.append(f"phone:{party.phone_hash}")
    return subjects


def _subject_q(subject: str) -> Q:
    kind, _sep, value = subject.partition(":")
    if kind == "person":
        return Q(person_id=int(value))
    if kind == "id":
        return Q(id_hash=value)
    return Q(phone_hash=value)


def dispute_party(subject: str) -> Finding | None:
    """A party (by the first of ledger person, ID number or phone they are known by) in two or
    more open disputes."""
    open_ids = sorted(
        set(
            Party.objects.filter(_subject_q(subject), dispute__is_open=True).values_list(
                "dispute_id", flat=True
            )
        )
    )
    if len(open_ids) < 2:
        return None
    disputes = list(Dispute.objects.filter(pk__in=open_ids).only("pk", "district_id", "officer_id", "number"))
    latest = max(disputes, key=lambda d: d.pk)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return Finding(
        kind=Kind.DISPUTE_PARTY,
        key=f"dispute_party:{digest}",
        severity=Severity.MEDIUM,
        title="",
        unit_id=latest.district_id,
        assignee_id=latest.officer_id,
        evidence=tuple(Proof(RecordType.DISPUTE, pk) for pk in open_ids),
    )


def party_subjects_of(dispute: Dispute) -> list[str]:
    """One subject per party: the strongest identity it has (a ledger person before an ID number
    before a phone), so that the same person is not counted under three keys."""
    subjects: list[str] = []
    for party in dispute.parties.all():
        found = _party_subjects(party)
        if found and found[0] not in subjects:
            subjects.append(found[0])
    return subjects


# ---------------------------------------------------------------------------------------------
# Spikes


def spike(district_id: int, category_id: int, now: datetime) -> Finding | None:
    window = timedelta(days=settings.WARNING_SPIKE_WINDOW_DAYS)
    k = settings.WARNING_SPIKE_BASELINE_WINDOWS
    since = now - window * (k + 1)
    rows = list(
        Appeal.objects.filter(
            district_id=district_id,
            category_id=category_id,
            received_at__gt=since,
            received_at__lte=now,
            merged_into__isnull=True,
        ).values_list("pk", "received_at")
    )
    current = [pk for pk, at in rows if at > now - window]
    x = len(current)
    if x < settings.WARNING_SPIKE_MIN:
        return None
    baseline = (len(rows) - x) / k
    threshold = baseline + settings.WARNING_SPIKE_Z * math.sqrt(max(baseline, 1.0))
    if x <= threshold:
        return None
    return Finding(
        kind=Kind.SPIKE,
        key=f"spike:{district_id}:{category_id}",
        severity=Severity.MEDIUM,
        title="",
        unit_id=district_id,
        evidence=tuple(
            Proof(RecordType.APPEAL, pk, "", {"count": x, "baseline": round(baseline, 2)})
            for pk in sorted(current)
        ),
    )


# ---------------------------------------------------------------------------------------------
# Hardship without help


def hardship(household_id: int, now: datetime) -> Finding | None:
    if households_with_open_help([household_id]):
        return None
    since = now - timedelta(days=settings.WARNING_HARDSHIP_DAYS)
    items = list(
        VisitItem.objects.filter(
            visit__household_id=household_id,
            visit__withdrawn=False,
            kind__in=HARDSHIP_KINDS,
            visit__visited_at__gt=since,
            visit__visited_at__lte=now,
        )
        .exclude(visit__kind__in=["persuasion"])
        .select_related("visit")
        .order_by("id")
    )
    if not items:
        return None
    latest = max(items, key=lambda i: (i.visit.visited_at, i.pk))
    return Finding(
        kind=Kind.HARDSHIP,
        key=f"hardship:{household_id}",
        severity=Severity.MEDIUM if any(i.kind == ItemKind.DEATH for i in items) else Severity.LOW,
        title="",
        unit_id=latest.visit.district_id,
        assignee_id=latest.visit.officer_id,
        evidence=tuple(Proof(RecordType.VISIT, i.visit_id, f"item:{i.pk}", {"news": i.kind}) for i in items),
    )


# ---------------------------------------------------------------------------------------------
# What to ask about one record (the on-commit path)


def for_record(record_type: str, pk: int, now: datetime, matcher: Matcher) -> Iterator[Finding | None]:
    if record_type == "appeal":
        appeal = Appeal.objects.filter(pk=pk).first()
        if appeal is None:
            return
        yield repeat_caller(appeal.citizen_phone_hash, now)
        yield repeat_address(appeal.address, now)
        yield risk_in_appeal(appeal, matcher)
        if appeal.district_id is not None:
            yield spike(appeal.district_id, appeal.category_id, now)
    elif record_type == "visit":
        visit = Visit.objects.filter(pk=pk).first()
        if visit is None:
            return
        yield risk_in_visit(visit, matcher)
        if visit.household_id is not None:
            yield hardship(visit.household_id, now)
    elif record_type == "dispute":
        dispute = Dispute.objects.filter(pk=pk).first()
        if dispute is None:
            return
        yield risk_in_dispute(dispute, matcher)
        yield dispute_overdue(dispute, now)
        yield dispute_upgraded(dispute, dispute.events.all())
        for subject in party_subjects_of(dispute):
            yield dispute_party(subject)
    elif record_type == "help_case":
        # A help case opened answers the hardship; nothing is raised by it. (Kept so that every
        # record type the hooks announce has a branch.)
        return


def _chunked(ids: list[int], size: int = 2000) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


# ---------------------------------------------------------------------------------------------
# What the sweep asks about (every subject with something in its window)


def sweep_findings(
    now: datetime, matcher: Matcher, *, since: datetime | None = None
) -> Iterator[Finding | None]:
    """Every finding of the present, subject by subject. `since` bounds the records read for risk
    words (the records written since the last sweep, with a margin); the other rules read their
    own windows."""
    repeat_since = _window(now)
    appeals = Appeal.objects.filter(
        received_at__gt=repeat_since, received_at__lte=now, merged_into__isnull=True
    )
    minimum = settings.WARNING_REPEAT_MIN
    for phone_hash in (
        appeals.exclude(citizen_phone_hash="")
        .values("citizen_phone_hash")
        .annotate(n=Count("id"))
        .filter(n__gte=minimum)
        .values_list("citizen_phone_hash", flat=True)
    ):
        yield repeat_caller(phone_hash, now)
    for address in (
        appeals.exclude(address="")
        .values("address")
        .annotate(n=Count("id"))
        .filter(n__gte=minimum)
        .values_list("address", flat=True)
    ):
        yield repeat_address(address, now)
    spike_since = now - timedelta(days=settings.WARNING_SPIKE_WINDOW_DAYS)
    for district_id, category_id in (
        Appeal.objects.filter(
            received_at__gt=spike_since,
            received_at__lte=now,
            district__isnull=False,
            merged_into__isnull=True,
        )
        .values("district_id", "category_id")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.WARNING_SPIKE_MIN)
        .values_list("district_id", "category_id")
    ):
        yield spike(district_id, category_id, now)
    words_since = since or repeat_since
    for appeal in Appeal.objects.filter(created_at__gt=words_since, created_at__lte=now).iterator(
        chunk_size=2000
    ):
        yield risk_in_appeal(appeal, matcher)
    visit_ids = list(
        Visit.objects.filter(created_at__gt=words_since, created_at__lte=now).values_list("pk", flat=True)
    )
    for chunk in _chunked(visit_ids):
        for visit in Visit.objects.filter(pk__in=chunk).prefetch_related("items", "amendments"):
            yield risk_in_visit(visit, matcher)
    for dispute in Dispute.objects.filter(Q(is_open=True) | Q(created_at__gt=words_since)).prefetch_related(
        "mediations", "events", "parties"
    ):
        yield risk_in_dispute(dispute, matcher)
        yield dispute_overdue(dispute, now)
        yield dispute_upgraded(dispute, dispute.events.all())
        for subject in party_subjects_of(dispute):
            yield dispute_party(subject)
    hardship_since = now - timedelta(days=settings.WARNING_HARDSHIP_DAYS)
    for household_id in (
        VisitItem.objects.filter(
            kind__in=HARDSHIP_KINDS,
            visit__household__isnull=False,
            visit__withdrawn=False,
            visit__visited_at__gt=hardship_since,
            visit__visited_at__lte=now,
        )
        .values_list("visit__household_id", flat=True)
        .distinct()
    ):
        yield hardship(household_id, now)
