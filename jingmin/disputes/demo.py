"""Demo disputes: every state and grade in each police district of the first station, with
parties from the ledger, mediation logs and history, and the patterns early warning looks for
(one past its deadline, one re-graded upward, one person in two open disputes).

Rows are written directly, in bulk, inside the demo loader's one transaction (the services open
durable transactions of their own); the same seed gives the same disputes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from jingmin.disputes import rules
from jingmin.disputes.models import (
    Dispute,
    DisputeEvent,
    DisputeType,
    EventAction,
    Grade,
    HandOverTo,
    Mediation,
    Party,
    PartyRole,
    State,
)
from jingmin.ledger.models import Person
from jingmin.org.demo import DemoOrg
from jingmin.org.models import User
from jingmin.org.roles import Role
from jingmin.org.scope import Scope

STORIES: dict[str, tuple[tuple[str, str], ...]] = {
    DisputeType.NEIGHBOURS: (
        ("楼上漏水引发邻里纠纷", "楼上卫生间漏水至楼下，双方就维修费用争执不下。"),
        ("占用楼道堆放杂物", "一户长期在楼道堆放杂物，邻居多次劝说无果，发生口角。"),
    ),
    DisputeType.FAMILY: (("兄弟赡养老人分歧", "兄弟二人就母亲赡养费分担发生争吵。"),),
    DisputeType.MARRIAGE: (("夫妻感情不和闹离婚", "夫妻因家庭琐事长期争吵，女方要求离婚，男方情绪激动。"),),
    DisputeType.LAND: (("宅基地边界争议", "两户因院墙位置和宅基地边界发生争执。"),),
    DisputeType.WAGES: (("装修工人讨要工钱", "装修队6名工人被拖欠工钱，多次讨要未果。"),),
    DisputeType.PROPERTY: (("物业费与停车位纠纷", "业主因车位被占拒交物业费，与物业公司僵持。"),),
    DisputeType.CONSUMER: (("预付卡退费纠纷", "健身房停业，十余名会员要求退还预付费用。"),),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "秀英", "桂兰", "志强", "海燕", "俊杰", "丽娟", "国庆", "春梅", "德明")


@dataclass
class DisputeCounts:
    disputes: int = 0
    mediations: int = 0


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def seed_disputes(*, seed: int, org: DemoOrg, now: datetime | None = None) -> DisputeCounts:
    rng = random.Random(seed * 17 + 5)
    now = (now or timezone.now()).replace(microsecond=0)
    counts = DisputeCounts()
    station = org.stations[0]
    in_station = Scope.under(station)
    districts = [d for d in org.districts if in_station.contains(d)]
    officers = {
        u.unit_id: u for u in User.objects.filter(unit__in=districts, role=Role.OFFICER).order_by("pk")
    }
    plan = [
        (Grade.RED, State.MEDIATING),
        (Grade.ORANGE, State.FOUND),
        (Grade.YELLOW, State.MEDIATING),
        (Grade.BLUE, State.FOUND),
        (Grade.YELLOW, State.RESOLVED),
        (Grade.BLUE, State.RESOLVED),
        (Grade.ORANGE, State.HANDED_OVER),
        (Grade.YELLOW, State.CONTAINED),
    ]
    stories = [(t, s) for t, options in STORIES.items() for s in options]
    shared_person: Person | None = None
    for d_index, district in enumerate(districts):
        officer = officers.get(district.pk) or org.accounts["chief"]
        persons = list(Person.objects.filter(district=district, is_active=True).order_by("pk")[:40])
        for i, (grade, state) in enumerate(plan):
            kind, (title, text) = stories[(d_index * len(plan) + i) % len(stories)]
            found = now - timedelta(days=rng.randint(2, 50), hours=rng.randint(0, 12))
            overdue = d_index == 0 and i == 0
            if overdue:
                # Planted: a red dispute found two weeks ago and still open, past its deadline.
                found = now - timedelta(days=14)
            dispute = Dispute.objects.create(
                number=f"JF{timezone.localtime(found):%Y%m%d}{counts.disputes + 1:06d}",
                title=title,
                description=text,
                occurred_at=found - timedelta(days=1),
                place=f"{district.name}辖区",
                district=district,
                district_path=district.path,
                type=kind,
                people_involved=rng.randint(2, 12),
                amount_involved=Decimal(rng.randint(1, 80) * 500)
                if kind in (DisputeType.WAGES, DisputeType.PROPERTY, DisputeType.CONSUMER)
                else None,
                grade=grade,
                deadline=rules.deadline_for(grade, found),
                visit_due=rules.visit_due_for(grade, found),
                state=state,
                is_open=state in (State.FOUND, State.MEDIATING),
                officer=officer,
                created_by=officer,
                created_at=found,
                # Set at once: a dispute handed over always names whom to (a database constraint).
                handed_to_kind=HandOverTo.COMMITTEE if state == State.HANDED_OVER else "",
                handed_to=f"{district.name}人民调解委员会" if state == State.HANDED_OVER else "",
            )
            counts.disputes += 1
            seq = 1
            DisputeEvent.objects.create(
                dispute=dispute,
                seq=seq,
                action=EventAction.REGISTER,
                to_state=State.FOUND,
                to_grade=grade,
                at=found,
                actor=officer,
                actor_name=officer.full_name,
            )
            parties = []
            for role in (PartyRole.APPLICANT, PartyRole.RESPONDENT):
                if persons and rng.random() < 0.6:
                    p = persons.pop(rng.randrange(len(persons)))
                    parties.append(
                        Party(
                            dispute=dispute,
                            role=role,
                            person=p,
                            name=p.name,
                            phone=p.phone,
                            phone_hash=p.phone_hash,
                            id_number=p.id_number,
                            id_hash=p.id_hash,
                        )
                    )
                else:
                    parties.append(Party(dispute=dispute, role=role, name=_name(rng)))
            if d_index == 0 and i in (1, 3):
                # Planted: one person of the ledger is a party in two open disputes.
                shared_person = (
                    shared_person
                    or Person.objects.filter(district=district, is_active=True).order_by("pk").first()
                )
                if shared_person is not None:
                    p = shared_person
                    parties.append(
                        Party(
                            dispute=dispute,
                            role=PartyRole.OTHER,
                            person=p,
                            name=p.name,
                            phone=p.phone,
                            phone_hash=p.phone_hash,
                            id_number=p.id_number,
                            id_hash=p.id_hash,
                        )
                    )
            Party.objects.bulk_create(parties)
            if d_index == 0 and i == 1:
                # Planted: re-graded upward from yellow to orange with its reason.
                seq += 1
                DisputeEvent.objects.create(
                    dispute=dispute,
                    seq=seq,
                    action=EventAction.REGRADE,
                    from_state=State.FOUND,
                    to_state=State.FOUND,
                    from_grade=Grade.YELLOW,
                    to_grade=Grade.ORANGE,
                    at=found + timedelta(hours=5),
                    actor=officer,
                    actor_name=officer.full_name,
                    note="一方扬言要采取过激行为",
                    data={"grade": ["yellow", "orange"], "up": True},
                )
            at = found + timedelta(days=1)
            if state != State.FOUND:
                Mediation.objects.create(
                    dispute=dispute,
                    at=at,
                    mediator=officer,
                    with_whom="双方当事人",
                    what="组织双方面对面调解，讲明法律规定。",
                    agreed="双方同意各让一步" if state == State.RESOLVED else "",
                )
                counts.mediations += 1
                seq += 1
                DisputeEvent.objects.create(
                    dispute=dispute,
                    seq=seq,
                    action=EventAction.MEDIATE,
                    from_state=State.FOUND,
                    to_state=State.MEDIATING,
                    at=at,
                    actor=officer,
                    actor_name=officer.full_name,
                )
            if state in (State.RESOLVED, State.HANDED_OVER, State.CONTAINED):
                closed = min(at + timedelta(days=rng.randint(1, 5)), now)
                action = {
                    State.RESOLVED: EventAction.RESOLVE,
                    State.HANDED_OVER: EventAction.HAND_OVER,
                    State.CONTAINED: EventAction.CONTAIN,
                }[state]
                note = {
                    State.RESOLVED: "双方达成调解协议并履行",
                    State.HANDED_OVER: "",
                    State.CONTAINED: "双方情绪稳定，定期回访",
                }[state]
                dispute.outcome, dispute.closed_at, dispute.visit_due = note, closed, None
                dispute.save(update_fields=["outcome", "closed_at", "visit_due"])
                seq += 1
                DisputeEvent.objects.create(
                    dispute=dispute,
                    seq=seq,
                    action=action,
                    from_state=State.MEDIATING,
                    to_state=state,
                    at=closed,
                    actor=officer,
                    actor_name=officer.full_name,
                    note=note,
                )
    return counts
