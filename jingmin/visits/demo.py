"""The demo year of visits over the demo ledger: district outlines drawn around each district's
households, a year of visits by each district's officers, some of the families' news, some tasks
that followed, and one district with a plan of its own.

Each district gets its own diligence, so that coverage differs between districts (between about
45% and 85% of households visited within the plan): a household is visited within the window with
the district's probability, and some households were visited only earlier in the year.

Rows go in with `bulk_create` rather than through the services (each service call appends an
audit row under the audit head's lock, and thousands of visits would take minutes), exactly as
the services would have written them: the visit, its "recorded" event, its news and tasks. The
same seed and `now` give the same visits.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from jingmin.ledger.models import Household, Organisation
from jingmin.org.demo import DemoOrg
from jingmin.org.models import Unit, User
from jingmin.org.roles import Role
from jingmin.org.scope import Scope
from jingmin.visits.coverage import position_fields
from jingmin.visits.models import (
    DistrictOutline,
    EventAction,
    FollowUpKind,
    ItemKind,
    Visit,
    VisitEvent,
    VisitFollowUp,
    VisitItem,
    VisitKind,
    VisitPlan,
)
from jingmin.visits.selectors import current_months, months_before
from jingmin.visits.services import household_covers_rebuild

# The share of households visited within the plan, per district: drawn from this range.
DILIGENCE = (0.45, 0.85)
# A district with a plan of its own (the second district of the first station: the demo chief's).
OWN_PLAN_MONTHS = 3

SUMMARIES: dict[str, tuple[str, ...]] = {
    VisitKind.HOUSEHOLD: (
        "入户走访，了解家庭近况，宣传防范电信网络诈骗知识，留下警民联系卡。",
        "入户走访，核对家庭成员和居住情况，提醒注意用电用气安全。",
        "走访住户，询问邻里关系和近期困难，宣传反诈APP安装使用。",
        "入户走访，家中一切正常，提醒外出注意门窗上锁。",
        "走访了解出租房屋居住人员情况，提醒房东及时登记。",
    ),
    VisitKind.VILLAGE: (
        "下村走访，与村干部座谈了解村内治安情况和矛盾纠纷。",
        "下村走访，查看村内重点路段照明和监控，宣传防盗知识。",
    ),
    VisitKind.MEETING: (
        "与商户座谈，听取对辖区治安的意见建议，宣传消防安全。",
        "组织楼栋长座谈，通报近期警情，征求意见。",
    ),
    VisitKind.HELP: (
        "帮扶困难家庭，送去米面油，了解孩子上学情况。",
        "帮扶独居老人，检查家中燃气和电器，联系社区定期探望。",
    ),
    VisitKind.FOLLOW_UP: (
        "回访此前反映的噪音问题，住户表示已明显改善。",
        "回访邻里纠纷调解情况，双方关系已缓和。",
    ),
    VisitKind.PERSUASION: ("与其家属谈话，讲明政策，劝其督促在逃人员尽快投案自首。",),
}

NEWS: dict[str, tuple[str, ...]] = {
    ItemKind.BIRTH: ("家中添了一个孩子，提醒及时办理出生登记。", "儿媳上月生产，母子平安。"),
    ItemKind.DEATH: ("家中老人上月去世，提醒办理户口注销。",),
    ItemKind.MARRIAGE: ("女儿下月结婚，将迁出户口。", "儿子新近结婚，儿媳已随迁。"),
    ItemKind.MOVE_IN: ("新搬来一户租客，已提醒办理居住登记。",),
    ItemKind.MOVE_OUT: ("原租户已搬走，房屋暂时空置。",),
    ItemKind.ILLNESS: ("老人患高血压，行动不便。", "家中有人住院治疗，经济压力较大。"),
    ItemKind.DISPUTE: ("与邻居因停车位发生口角，已初步劝解。", "楼上漏水与邻居有矛盾。"),
    ItemKind.HARDSHIP: ("家庭主要劳动力失业，生活困难。", "低保户，孩子上学有困难。"),
    ItemKind.EMPLOYMENT: ("儿子在外地打工，家中只有老人。",),
    ItemKind.SCHOOLING: ("孩子今年上小学，留守在家由爷爷奶奶照顾。",),
    ItemKind.OTHER: ("希望小区门口增设路灯。",),
}
NEWS_WEIGHTS = {
    ItemKind.BIRTH: 8,
    ItemKind.DEATH: 4,
    ItemKind.MARRIAGE: 6,
    ItemKind.MOVE_IN: 8,
    ItemKind.MOVE_OUT: 6,
    ItemKind.ILLNESS: 10,
    ItemKind.DISPUTE: 8,
    ItemKind.HARDSHIP: 8,
    ItemKind.EMPLOYMENT: 5,
    ItemKind.SCHOOLING: 5,
    ItemKind.OTHER: 3,
}
TASKS = (
    "送困难补助申请表。",
    "联系社区为老人安排定期探望。",
    "再次上门核实租客登记情况。",
    "跟进邻里纠纷调解结果。",
)
HOUSEHOLD_KINDS = (
    (VisitKind.HOUSEHOLD, 0.82),
    (VisitKind.HELP, 0.08),
    (VisitKind.FOLLOW_UP, 0.07),
    (VisitKind.VILLAGE, 0.03),
)


@dataclass
class VisitCounts:
    outlines: int = 0
    visits: int = 0
    items: int = 0
    tasks: int = 0


def _pick(rng: random.Random, weighted: Any) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull (Andrew's monotone chain), counter-clockwise, of (lng, lat) points."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def outline_around(points: list[tuple[float, float]], margin: float = 0.0015) -> dict[str, Any]:
    """A plausible district outline: the hull of its households' (lng, lat), pushed out from its
    centre by `margin` degrees so that no household sits on the line; a hexagon when there are
    fewer than three households."""
    hull = _hull(points)
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    if len(hull) < 3:
        import math

        r = margin * 3
        hull = [(cx + r * math.cos(a * math.pi / 3), cy + r * math.sin(a * math.pi / 3)) for a in range(6)]
    ring = []
    for x, y in hull:
        dx, dy = x - cx, y - cy
        length = (dx * dx + dy * dy) ** 0.5 or 1.0
        ring.append([round(x + dx / length * margin, 6), round(y + dy / length * margin, 6)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _at(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A time in the officers' working hours between start and end."""
    span = max((end - start).total_seconds(), 3600.0)
    moment = timezone.localtime(start + timedelta(seconds=rng.uniform(0, span)))
    moment = moment.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59), second=0, microsecond=0)
    return min(moment, end)


def _visit(
    rng: random.Random,
    district: Unit,
    staff: list[User],
    kind: str,
    at: datetime,
    now: datetime,
    **target: Any,
) -> Visit:
    officer = rng.choice(staff)
    return Visit(
        kind=kind,
        officer=officer,
        unit_id=district.pk,
        district=district,
        district_path=district.path,
        visited_at=at,
        summary=rng.choice(SUMMARIES[kind]),
        created_at=min(at + timedelta(minutes=rng.randint(5, 240)), now),
        **target,
    )


def seed_visits(*, seed: int, org: DemoOrg, now: datetime | None = None) -> VisitCounts:
    """Outlines, plans and a year of visits for every police district of the demo organisation."""
    rng = random.Random(seed * 13 + 3)
    now = (now or timezone.now()).replace(microsecond=0)
    counts = VisitCounts()
    districts = list(org.districts)
    officers: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(unit__in=districts, role=Role.OFFICER).order_by("pk"):
        officers[user.unit_id].append(user)

    chief = org.accounts.get("chief")
    if chief is not None and len(districts) > 1 and Scope.under(chief.unit).contains(districts[1]):
        VisitPlan.objects.create(district=districts[1], months=OWN_PLAN_MONTHS, set_at=now, set_by=chief)
    months = current_months([d.pk for d in districts])

    located: dict[int, list[tuple[float, float]]] = defaultdict(list)
    lat, lng = position_fields()
    rows = (
        Household.objects.filter(district__in=districts, is_active=True)
        .annotate(lat=lat, lng=lng)
        .values_list("pk", "district_id", "lat", "lng")
        .order_by("pk")
    )
    households: dict[int, list[int]] = defaultdict(list)
    for pk, district_id, lat, lng in rows:
        households[district_id].append(pk)
        if lat is not None and lng is not None:
            located[district_id].append((float(lng), float(lat)))
    outlines = [
        DistrictOutline(district=d, geometry=outline_around(located[d.pk]), updated_at=now)
        for d in districts
        if located[d.pk]
    ]
    DistrictOutline.objects.bulk_create(outlines)
    counts.outlines = len(outlines)

    organisations: dict[int, list[int]] = defaultdict(list)
    for pk, district_id in Organisation.objects.filter(district__in=districts, is_active=True).values_list(
        "pk", "district_id"
    ):
        organisations[district_id].append(pk)

    year_ago = now - timedelta(days=365)
    visits: list[Visit] = []
    for district in districts:
        staff = officers.get(district.pk)
        if not staff:
            continue
        start = months_before(now, months[district.pk])
        diligence = rng.uniform(*DILIGENCE)

        def visit(kind: str, at: datetime, **target: Any) -> None:
            visits.append(_visit(rng, district, staff, kind, at, now, **target))  # noqa: B023 - called at once

        for household_id in households[district.pk]:
            if rng.random() < diligence:
                visit(
                    _pick(rng, HOUSEHOLD_KINDS),
                    _at(rng, start + timedelta(days=1), now),
                    household_id=household_id,
                )
                if rng.random() < 0.35:
                    visit(
                        VisitKind.HOUSEHOLD,
                        _at(rng, year_ago, start - timedelta(days=1)),
                        household_id=household_id,
                    )
            elif rng.random() < 0.4:
                visit(
                    VisitKind.HOUSEHOLD,
                    _at(rng, year_ago, start - timedelta(days=1)),
                    household_id=household_id,
                )
        for organisation_id in organisations[district.pk]:
            if rng.random() < 0.5:
                visit(VisitKind.MEETING, _at(rng, year_ago, now), organisation_id=organisation_id)
        if households[district.pk] and rng.random() < 0.3:
            visit(
                VisitKind.PERSUASION,
                _at(rng, year_ago, now),
                household_id=rng.choice(households[district.pk]),
            )

    visits.sort(key=lambda v: v.visited_at)
    Visit.objects.bulk_create(visits, batch_size=2000)
    counts.visits = len(visits)

    items: list[VisitItem] = []
    tasks: list[VisitFollowUp] = []
    events: list[VisitEvent] = []
    today = timezone.localdate(now)
    for v in visits:
        assert v.pk is not None
        events.append(
            VisitEvent(
                visit_id=v.pk,
                seq=1,
                action=EventAction.RECORD,
                at=v.created_at,
                actor_id=v.officer_id,
                actor_name=v.officer.full_name[:50],
                data={"kind": v.kind, "demo": True},
            )
        )
        if v.household_id is None or v.kind == VisitKind.PERSUASION:
            continue
        if rng.random() < 0.22:
            # Sorted: a set of strings iterates in an order that changes with every process.
            for kind in sorted({_pick(rng, NEWS_WEIGHTS.items()) for _ in range(rng.randint(1, 2))}):
                items.append(
                    VisitItem(visit_id=v.pk, kind=kind, text=rng.choice(NEWS[kind]), created_at=v.created_at)
                )
        if rng.random() < 0.05:
            due = timezone.localdate(v.visited_at) + timedelta(days=rng.randint(3, 14))
            done = due < today and rng.random() < 0.85
            done_at = (
                min(timezone.make_aware(datetime.combine(due, datetime.min.time())), now) if done else None
            )
            tasks.append(
                VisitFollowUp(
                    visit_id=v.pk,
                    kind=FollowUpKind.TASK,
                    text=rng.choice(TASKS),
                    officer_id=v.officer_id,
                    district_path=v.district_path,
                    due_on=due,
                    done_at=done_at,
                    done_by_id=v.officer_id if done else None,
                    created_at=v.created_at,
                )
            )
            if done_at is not None:
                events.append(
                    VisitEvent(
                        visit_id=v.pk,
                        seq=2,
                        action=EventAction.TASK_DONE,
                        at=done_at,
                        actor_id=v.officer_id,
                        actor_name=v.officer.full_name[:50],
                        data={"demo": True},
                    )
                )
    VisitItem.objects.bulk_create(items, batch_size=2000)
    VisitFollowUp.objects.bulk_create(tasks, batch_size=2000)
    VisitEvent.objects.bulk_create(events, batch_size=2000)
    household_covers_rebuild()
    counts.items, counts.tasks = len(items), len(tasks)
    return counts
