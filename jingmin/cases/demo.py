"""Demo help and persuasion cases in the first station: help for households whose visits brought
news of hardship, with acts of help linked to those visits, and persuasion cases assigned to the
demo officer. Written in bulk inside the demo loader's transaction; the same seed, the same cases."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from jingmin.cases.models import (
    CaseAction,
    CaseEvent,
    CaseKind,
    HelpAct,
    HelpCase,
    HelpCloseReason,
    PersuasionCase,
    PersuasionContact,
)
from jingmin.core.crypto import lookup_hash
from jingmin.ledger.identifiers import id_check_character
from jingmin.org.demo import DemoOrg
from jingmin.visits.models import ItemKind, Visit


@dataclass
class CaseCounts:
    help: int = 0
    persuasion: int = 0


def _event(kind: str, case_id: int, seq: int, action: str, at: datetime, actor) -> CaseEvent:  # type: ignore[no-untyped-def]
    return CaseEvent(
        kind=kind, case_id=case_id, seq=seq, action=action, at=at, actor=actor, actor_name=actor.full_name
    )


def seed_cases(*, seed: int, org: DemoOrg, now: datetime | None = None) -> CaseCounts:
    rng = random.Random(seed * 19 + 7)
    now = (now or timezone.now()).replace(microsecond=0)
    counts = CaseCounts()
    officer = org.accounts["officer"]
    district = officer.unit
    events: list[CaseEvent] = []
    # Help for two of the households whose visits reported hardship or illness (the others are left
    # for early warning to point at).
    visits = list(
        Visit.objects.filter(
            district=district, household__isnull=False, items__kind__in=[ItemKind.HARDSHIP, ItemKind.ILLNESS]
        )
        .order_by("pk")
        .distinct()[:3]
    )
    for n, visit in enumerate(visits[:2]):
        assert visit.household_id is not None  # the query asked for visits to a household
        opened = visit.visited_at + timedelta(days=1)
        case = HelpCase.objects.create(
            household_id=visit.household_id,
            district=district,
            district_path=district.path,
            hardship="家中老人患病，收入微薄，生活困难。",
            plan="每月上门探望，协助申请临时救助和医疗报销。",
            opened_at=opened,
            opened_by=officer,
            is_open=n == 0,
            close_reason="" if n == 0 else HelpCloseReason.RECOVERED,
            closed_at=None if n == 0 else min(opened + timedelta(days=40), now),
        )
        case.officers.set([officer])
        HelpAct.objects.create(
            case=case,
            at=visit.visited_at,
            by=officer,
            what="上门了解困难情况，送去米面油。",
            outcome="老人表示感谢",
            visit=visit,
        )
        events += [
            _event(CaseKind.HELP, case.pk, 1, CaseAction.OPEN, opened, officer),
            _event(CaseKind.HELP, case.pk, 2, CaseAction.ACT, opened, officer),
        ]
        if n:
            events.append(_event(CaseKind.HELP, case.pk, 3, CaseAction.CLOSE, case.closed_at or now, officer))
        counts.help += 1
    for n, name in enumerate(("孙某某", "钱某某")):
        first17 = f"1101051985{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
        number = first17 + id_check_character(first17)
        opened = now - timedelta(days=30 - n * 10)
        pcase = PersuasionCase.objects.create(
            wanted_name=name,
            wanted_id_number=number,
            wanted_id_hash=lookup_hash(number),
            district=district,
            district_path=district.path,
            opened_at=opened,
            opened_by=officer,
            is_open=n == 0,
            outcome="" if n == 0 else "surrendered",
            closed_at=None if n == 0 else now - timedelta(days=2),
        )
        pcase.officers.set([officer])
        PersuasionContact.objects.create(
            case=pcase,
            at=opened + timedelta(days=2),
            by=officer,
            relative="其母",
            relation="母亲",
            what="讲明投案自首可从轻处理的政策。",
            response="表示会劝说儿子",
        )
        events += [
            _event(CaseKind.PERSUASION, pcase.pk, 1, CaseAction.OPEN, opened, officer),
            _event(CaseKind.PERSUASION, pcase.pk, 2, CaseAction.CONTACT, opened + timedelta(days=2), officer),
        ]
        if n:
            events.append(
                _event(CaseKind.PERSUASION, pcase.pk, 3, CaseAction.CLOSE, now - timedelta(days=2), officer)
            )
        counts.persuasion += 1
    CaseEvent.objects.bulk_create(events)
    return counts
