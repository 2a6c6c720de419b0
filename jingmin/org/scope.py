"""Who sees what: the one module that compares unit paths.

Every unit stores a materialised path of zero-padded ids ("000001/000004/000019/"). A person sees
the records of the units under their own node, so "in scope" is "the record's unit path starts
with the person's unit path": one indexed prefix match. Records carry the path of the unit they
belong to in a column of their own (`unit_path`, `district_path`, `intake_unit_path` ...) or reach
it through a foreign key (`unit__path`); `Scope` filters on either.

Nothing else in the code compares, slices or splits unit paths: selectors and services ask a
`Scope`, and the architecture test (`jingmin/core/tests/test_architecture.py`) fails on a path
comparison anywhere else. The ledger's address tree is a materialised path too (wider segments);
the few helpers it needs (`path_prefixes` with its segment, `subtree_q`, `common_path`) are here
for the same reason.

Three shortcuts keep the planner on the right index, and each is exact:
- the bureau (the root of the tree) sees everything, so its scope adds no condition at all;
- nothing hangs below a police district, so a district's scope is an equality;
- an inactive or anonymous account sees nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Q, QuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from jingmin.org.models import Unit, User

M = TypeVar("M", bound=Model)

ID_WIDTH = 6
SEGMENT = ID_WIDTH + 1  # "000123/"


def path_segment(pk: int) -> str:
    """The part of a path a unit adds below its parent."""
    return f"{pk:0{ID_WIDTH}d}/"


def path_prefixes(path: str, segment: int = SEGMENT) -> list[str]:
    """The paths of the node at `path` and of every node above it, the root first. `segment` is
    the width of one node's part: a unit's by default, an address's for the address tree."""
    return [path[:n] for n in range(segment, len(path) + 1, segment)]


def common_path(a: str, b: str, segment: int = SEGMENT) -> str:
    """The path of the lowest node above (or at) both `a` and `b`: their longest common run of
    whole segments."""
    n = 0
    while n + segment <= min(len(a), len(b)) and a[n : n + segment] == b[n : n + segment]:
        n += segment
    return a[:n]


def widened(path: str, other: str) -> str | None:
    """The common path of `path` and `other` when it lies above `path` (a node that named one
    district and now also holds `other` spans both), or None when `path` already covers `other`."""
    common = common_path(path, other)
    return None if common == path else common


def same_node(a: str, b: str) -> bool:
    """Whether two paths name the same node (a house's district and the row's district)."""
    return a == b


def subtree_q(field: str, path: str) -> Q:
    """The condition "the path in `field` lies at or below the node at `path`", for any tree of
    materialised paths (an address and everything beneath it). For people's scope use `Scope`."""
    return Q(**{f"{field}__startswith": path})


def chain_q(field: str, *paths: str, segment: int = SEGMENT, include_self: bool = True) -> Q:
    """The condition "the path in `field` is that of a node above (or at) one of `paths`": the
    accounts whose unit oversees an appeal, the breadcrumbs of an address. Any tree of materialised
    paths; `segment` as for `path_prefixes`."""
    wanted: set[str] = set()
    for path in paths:
        chain = path_prefixes(path, segment)
        wanted.update(chain if include_self else chain[:-1])
    return Q(**{f"{field}__in": sorted(wanted)})


def path_ids(path: str) -> list[int]:
    """The ids of the unit at `path` and of every unit above it, the root first."""
    return [int(path[n : n + ID_WIDTH]) for n in range(0, len(path), SEGMENT)]


# The search index's scope tokens (`scope_tokens`): one lexeme per unit whose subtree holds a
# record. The text's own tokens are bigrams and lower-case Latin or number runs, and PostgreSQL's
# parser never keeps this mark, so no word of an appeal can read as a scope token.
SCOPE_MARK = "@"


def scope_tokens(*paths: str) -> list[str]:
    """The scope tokens of a record held at the units of these paths (an appeal's unit, its
    intake unit, its assisting units): one for every unit at or above each, the bureau apart
    (the bureau sees everything and asks for no token). A person's scope holds the record exactly
    when the record carries the token of the scope's top unit (`Scope.search_tokens`)."""
    ids = {pk for path in paths if path for pk in path_ids(path)[1:]}
    return [f"{SCOPE_MARK}{pk}" for pk in sorted(ids)]


def path_within(path: str, top: str) -> bool:
    """Whether the unit at `path` lies in the subtree whose top unit has the path `top`."""
    return bool(top) and path.startswith(top)


@dataclass(frozen=True)
class Scope:
    """The subtree a person (or a chosen unit) covers.

    `top` is the path of the subtree's top unit; an empty `top` covers nothing. `leaf` is true when
    the top unit can have nothing below it (a police district), so membership is an equality.
    """

    top: str
    leaf: bool = False

    @classmethod
    def of(cls, user: User | AnonymousUser | None) -> Scope:
        """What this person sees: their own unit's subtree, nothing once deactivated."""
        if user is None or not user.is_authenticated or not user.is_active:
            return NOTHING
        return cls.under(user.unit)

    @classmethod
    def under(cls, unit: Unit | None) -> Scope:
        """The subtree of one unit (a filter chosen on a page, a unit's own figures)."""
        if unit is None:
            return NOTHING
        from jingmin.org.models import UnitKind

        return cls(top=unit.path, leaf=unit.kind == UnitKind.DISTRICT)

    @property
    def is_empty(self) -> bool:
        return not self.top

    @property
    def is_everything(self) -> bool:
        """The bureau's scope: the root of the tree holds every unit."""
        return len(self.top) == SEGMENT

    def q(self, field: str = "unit_path") -> Q:
        """The condition "the path in `field` lies in this scope", to combine with others.

        `field` is a column holding a unit's path (`district_path`) or a lookup through a foreign
        key (`unit__path`); for the Unit model itself it is `path`.
        """
        if self.is_empty:
            return Q(pk__in=[])
        if self.is_everything:
            return Q()
        if self.leaf:
            return Q(**{field: self.top})
        return Q(**{f"{field}__startswith": self.top})

    def q_or_above(self, field: str) -> Q:
        """The condition "the path in `field` lies in this scope, or is the path of a unit above
        the scope's top (or empty)": records that span several units carry their common path (an
        address node above two districts), and one leads down to this scope through them."""
        if self.is_empty:
            return Q(pk__in=[])
        if self.is_everything:
            return Q()
        return self.q(field) | Q(**{f"{field}__in": ["", *path_prefixes(self.top)[:-1]]})

    def filter(self, queryset: QuerySet[M], field: str = "unit_path") -> QuerySet[M]:
        """Keep the rows of `queryset` whose path in `field` lies in this scope."""
        if self.is_empty:
            return queryset.none()
        if self.is_everything:
            return queryset
        return queryset.filter(self.q(field))

    def search_tokens(self) -> list[str]:
        """The scope tokens a record must carry to lie in this scope (see `scope_tokens`): none
        for the bureau, the top unit's for any other. An empty scope has no token; ask
        `is_empty` first, as it holds nothing."""
        if self.is_empty or self.is_everything:
            return []
        return [f"{SCOPE_MARK}{path_ids(self.top)[-1]}"]

    def contains(self, target: Unit | str | None) -> bool:
        """Whether a unit, or a record carrying a unit's path, lies in this scope."""
        if target is None or self.is_empty:
            return False
        path = target if isinstance(target, str) else target.path
        return path_within(path, self.top)

    def above_or_at(self, path: str) -> list[str]:
        """The paths from the top of this scope down to `path` (breadcrumbs), or none outside."""
        if not self.contains(path):
            return []
        return [p for p in path_prefixes(path) if len(p) >= len(self.top)]

    def units(self) -> QuerySet[Unit]:
        """The units of this scope, the top one included."""
        from jingmin.org.models import Unit

        return self.filter(Unit.objects.all(), "path")

    def chain_to(self, unit: Unit) -> QuerySet[Unit]:
        """The units from the top of this scope down to `unit`, top first; none outside."""
        from jingmin.org.models import Unit

        return Unit.objects.filter(path__in=self.above_or_at(unit.path)).order_by("path")

    def districts(self) -> QuerySet[Unit]:
        """The active police districts of this scope."""
        from jingmin.org.models import UnitKind

        return self.units().filter(kind=UnitKind.DISTRICT, is_active=True)


NOTHING = Scope(top="")


def units_holding(paths: Iterable[str], units: Iterable[Unit]) -> dict[str, list[int]]:
    """For each record path, the ids of those of `units` whose subtree holds it: a dictionary walk
    up each path's prefixes instead of comparing every path with every unit (a dashboard adds up
    480 districts' groups into 48 stations)."""
    by_path = {u.path: u.pk for u in units}
    return {path: [by_path[p] for p in path_prefixes(path) if p in by_path] for path in paths}


def units_above(unit: Unit, *, include_self: bool = False) -> QuerySet[Unit]:
    """The units above `unit` (its parent, the parent's parent ... the bureau), nearest first."""
    from jingmin.org.models import Unit

    paths = path_prefixes(unit.path)
    if not include_self:
        paths = paths[:-1]
    return Unit.objects.filter(path__in=paths).order_by("-depth")
