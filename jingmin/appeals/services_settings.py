"""Changes to the appeal settings: the category taxonomy and the deadline clocks.

Both are the system administrator's (`Cap.MANAGE_APPEAL_SETTINGS`). The taxonomy has two levels:
appeals are filed under a second-level category, so a first-level one is only a heading. A change
of a deadline policy applies to clocks set from then on; running clocks keep the deadline they
were given, which is what the citizen and the officer were told.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jingmin.appeals.codes import AuditAction, ErrorCode
from jingmin.appeals.models import AppealType, Category, ClockUnit, DeadlinePolicy, Urgency
from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service
from jingmin.org.roles import Cap
from jingmin.org.selectors import require

if TYPE_CHECKING:
    from jingmin.org.models import User

_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_MAX = Category._meta.get_field("code").max_length or 40
NAME_MAX = Category._meta.get_field("name").max_length or 60
NAME_EN_MAX = Category._meta.get_field("name_en").max_length or 80
# Beyond these a clock stops meaning anything to a citizen (a month of hours, a quarter of days).
MAX_AMOUNT = {ClockUnit.HOURS: 720, ClockUnit.WORKING_DAYS: 60}
CLOCKS = ("sign", "contact", "conclude")


def _clean_names(name: str, name_en: str) -> tuple[str, str]:
    name, name_en = (name or "").strip(), (name_en or "").strip()
    if not name:
        raise ServiceError(_("The name is required."), code=CommonError.REQUIRED, field="name")
    if len(name) > NAME_MAX:
        raise ServiceError(
            _("The name is at most %(max)d characters.") % {"max": NAME_MAX},
            code=CommonError.TOO_LONG,
            field="name",
        )
    if len(name_en) > NAME_EN_MAX:
        raise ServiceError(
            _("The English name is at most %(max)d characters.") % {"max": NAME_EN_MAX},
            code=CommonError.TOO_LONG,
            field="name_en",
        )
    return name, name_en


def _check_position(position: int) -> None:
    if not 0 <= position <= 32767:
        raise ServiceError(
            _("The position is a number from 0 to 32767."), code=CommonError.INVALID, field="position"
        )


@write_service
def category_create(
    *, actor: User, parent: Category | None, code: str, name: str, name_en: str = "", position: int = 0
) -> Category:
    """A new first-level heading (no parent) or a second-level category under a heading."""
    require(actor, Cap.MANAGE_APPEAL_SETTINGS)
    code = (code or "").strip().lower()
    if not _CODE.match(code) or len(code) > CODE_MAX:
        raise ServiceError(
            _(
                "The code is lower-case letters, digits and dashes, at most %(max)d characters, e.g. order-noise."
            )
            % {"max": CODE_MAX},
            code=CommonError.INVALID,
            field="code",
        )
    name, name_en = _clean_names(name, name_en)
    _check_position(position)
    if parent is not None:
        # Locked so that a heading is not deactivated while a category is added under it.
        parent = Category.objects.select_for_update().filter(pk=parent.pk).first()
        if parent is None:
            raise ServiceError(_("Choose a heading."), code=CommonError.REQUIRED, field="parent")
        if parent.parent_id is not None:
            raise ServiceError(
                _("Categories have two levels: choose a first-level heading as the parent."),
                code=ErrorCode.TOO_DEEP,
                field="parent",
            )
        if not parent.is_active:
            raise ServiceError(
                _("%(name)s is inactive: activate it first.") % {"name": parent.name},
                code=ErrorCode.INACTIVE_PARENT,
                field="parent",
            )
    if Category.objects.filter(code=code).exists():
        raise ServiceError(_("This code is taken."), code=CommonError.DUPLICATE, field="code")
    try:
        with transaction.atomic():
            category = Category.objects.create(
                parent=parent, code=code, name=name, name_en=name_en, position=position
            )
    except IntegrityError as exc:
        # Two administrators chose the same code at once.
        raise ServiceError(_("This code is taken."), code=CommonError.DUPLICATE, field="code") from exc
    audit_record(
        actor=actor,
        action=AuditAction.CATEGORY_CREATE,
        target=category,
        detail={"code": code, "parent": parent.code if parent else None, "name": name},
    )
    return category


@write_service
def category_update(
    *,
    actor: User,
    category: Category | int,
    name: str,
    name_en: str = "",
    position: int | None = None,
    is_active: bool = True,
) -> Category:
    """Rename, reorder, deactivate or reactivate a category.

    Deactivating a heading deactivates its categories too, or the intake form would still offer
    them under a heading that is gone. Appeals already filed keep their category.
    """
    require(actor, Cap.MANAGE_APPEAL_SETTINGS)
    name, name_en = _clean_names(name, name_en)
    if position is not None:
        _check_position(position)
    pk = category.pk if isinstance(category, Category) else category
    row = Category.objects.select_for_update().filter(pk=pk).first()
    if row is None:
        raise ServiceError(_("No such category."), code=CommonError.NOT_FOUND, field="category")
    if is_active and not row.is_active and row.parent_id is not None:
        parent = Category.objects.get(pk=row.parent_id)
        if not parent.is_active:
            raise ServiceError(
                _("%(name)s is inactive: activate the heading first.") % {"name": parent.name},
                code=ErrorCode.INACTIVE_PARENT,
                field="is_active",
            )
    before: dict[str, Any] = {
        "name": row.name,
        "name_en": row.name_en,
        "position": row.position,
        "is_active": row.is_active,
    }
    row.name, row.name_en, row.is_active = name, name_en, is_active
    if position is not None:
        row.position = position
    after = {
        "name": row.name,
        "name_en": row.name_en,
        "position": row.position,
        "is_active": row.is_active,
    }
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if not changes:
        return row
    row.save()
    if not is_active and row.parent_id is None:
        closed = list(Category.objects.filter(parent=row, is_active=True).values_list("code", flat=True))
        Category.objects.filter(parent=row, is_active=True).update(is_active=False)
        if closed:
            changes["children_deactivated"] = closed
    audit_record(actor=actor, action=AuditAction.CATEGORY_UPDATE, target=row, detail=changes)
    return row


@write_service
def deadline_policy_set(
    *,
    actor: User,
    urgency: str,
    type: str = "",
    sign_amount: int,
    sign_unit: str,
    contact_amount: int,
    contact_unit: str,
    conclude_amount: int,
    conclude_unit: str,
) -> DeadlinePolicy:
    """Create or change the clocks of an urgency (and, when a type is given, of that type only)."""
    require(actor, Cap.MANAGE_APPEAL_SETTINGS)
    if urgency not in Urgency.values:
        raise ServiceError(_("Choose the urgency."), code=CommonError.INVALID, field="urgency")
    if type and type not in AppealType.values:
        raise ServiceError(_("Choose the type of appeal."), code=CommonError.INVALID, field="type")
    values = {
        "sign": (sign_amount, sign_unit),
        "contact": (contact_amount, contact_unit),
        "conclude": (conclude_amount, conclude_unit),
    }
    for clock, (amount, unit) in values.items():
        if unit not in ClockUnit.values:
            raise ServiceError(
                _("Choose hours or working days."), code=CommonError.INVALID, field=f"{clock}_unit"
            )
        limit = MAX_AMOUNT[ClockUnit(unit)]
        if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= limit:
            raise ServiceError(
                _("Enter a whole number from 1 to %(max)d.") % {"max": limit},
                code=CommonError.INVALID,
                field=f"{clock}_amount",
            )
    # Signing for and first contact are steps towards conclusion: they cannot run longer.
    for clock in ("sign", "contact"):
        amount, unit = values[clock]
        end_amount, end_unit = values["conclude"]
        if unit == end_unit and amount > end_amount:
            raise ServiceError(
                _("This clock cannot be longer than the conclusion clock."),
                code=ErrorCode.LONGER_THAN_CONCLUSION,
                field=f"{clock}_amount",
            )
    fields = {
        f"{clock}_{part}": value
        for clock, pair in values.items()
        for part, value in zip(("amount", "unit"), pair, strict=True)
    }
    row = DeadlinePolicy.objects.select_for_update().filter(urgency=urgency, type=type).first()
    before = {name: getattr(row, name) for name in fields} if row is not None else None
    if row is None:
        try:
            with transaction.atomic():
                row = DeadlinePolicy.objects.create(urgency=urgency, type=type, **fields)
        except IntegrityError:
            # Another administrator created the row a moment ago: change it instead.
            row = DeadlinePolicy.objects.select_for_update().get(urgency=urgency, type=type)
            before = {name: getattr(row, name) for name in fields}
    if before is not None:
        if before == fields:
            return row
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()
    audit_record(
        actor=actor,
        action=AuditAction.DEADLINE_POLICY_SET,
        target=row,
        detail={"urgency": urgency, "type": type, "before": before, "after": fields},
    )
    return row
