"""The bureau's risk words as a matcher, rebuilt when the list changes.

Each process keeps the matcher it built with a fingerprint of the list (how many words, the
latest change); asking for the matcher compares the fingerprint, one small query, and rebuilds
the automaton only when the list changed.
"""

from __future__ import annotations

from django.db.models import Count, Max

from jingmin.warnings.matcher import Matcher, build
from jingmin.warnings.models import RiskWord

_cached: tuple[tuple[object, ...], Matcher] | None = None


def current_matcher() -> Matcher:
    global _cached
    active = RiskWord.objects.filter(is_active=True)
    stats = RiskWord.objects.aggregate(n=Count("id"), latest=Max("changed_at"), top=Max("id"))
    fingerprint = (stats["n"], stats["latest"], stats["top"])
    if _cached is not None and _cached[0] == fingerprint:
        return _cached[1]
    matcher = build(active.values_list("theme", "word"))
    _cached = (fingerprint, matcher)
    return matcher


def forget() -> None:
    global _cached
    _cached = None
