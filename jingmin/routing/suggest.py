"""The suggestion for an appeal being typed in: a category and a handling unit, each with its
confidence, or nothing where the model is less sure than ROUTING_MIN_CONFIDENCE."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from jingmin.appeals.models import Category
from jingmin.org.models import Unit, UnitKind, User
from jingmin.routing import model_store
from jingmin.routing.features import appeal_text, with_meta
from jingmin.routing.training import INTAKE_UNIT, OWN_DISTRICT

# Fewer characters than this say too little to suggest anything from.
MIN_TEXT = 4


@dataclass(frozen=True)
class Suggested:
    model_id: int
    version: int
    category: Category | None
    category_confidence: float | None
    unit: Unit | None
    unit_confidence: float | None

    @property
    def anything(self) -> bool:
        return self.category is not None or self.unit is not None


def resolve_unit(label: str, *, district: Unit | None, intake: Unit) -> Unit | None:
    """The unit a label stands for (`training.OWN_DISTRICT`, `INTAKE_UNIT` or a unit's code), if
    it is open and handles appeals; the own district is unknown while the form names none."""
    if label == OWN_DISTRICT:
        unit = district
    elif label == INTAKE_UNIT:
        unit = intake
    else:
        return Unit.objects.filter(code=label, is_active=True).exclude(kind=UnitKind.BUREAU).first()
    return unit if unit is not None and unit.is_active and unit.kind != UnitKind.BUREAU else None


def suggestion_for(
    *,
    actor: User,
    title: str,
    content: str,
    address: str = "",
    district: Unit | None = None,
    floor: float | None = None,
) -> Suggested | None:
    """None when no model is active or the text is too short; otherwise the suggestion, with
    `category` and `unit` left empty where the confidence is below the floor or the label names
    no active category or unit."""
    text = appeal_text(title, content)
    if len(text) < MIN_TEXT:
        return None
    loaded = model_store.active()
    if loaded is None:
        return None
    floor = settings.ROUTING_MIN_CONFIDENCE if floor is None else floor
    where = with_meta(text, address=address, has_district=district is not None, intake=actor.unit.code)
    (code, p), unit_guess = loaded.compiled.predict(text, where)
    category, category_confidence = None, None
    if p >= floor:
        category = (
            Category.objects.filter(code=code, is_active=True, parent__isnull=False, parent__is_active=True)
            .select_related("parent")
            .first()
        )
        category_confidence = p if category else None
    unit, unit_confidence = None, None
    if unit_guess is not None and unit_guess[1] >= floor:
        unit = resolve_unit(unit_guess[0], district=district, intake=actor.unit)
        unit_confidence = unit_guess[1] if unit else None
    return Suggested(
        model_id=loaded.model_id,
        version=loaded.version,
        category=category,
        category_confidence=category_confidence,
        unit=unit,
        unit_confidence=unit_confidence,
    )
