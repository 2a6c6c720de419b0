"""What goes in and out of the API: one input serializer per operation, one shape per resource.

Serializers only parse and present. The rules (which category, which unit, what may happen in
which state) are the domain's, so an input that parses here may still be refused by a service,
with a message naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jingmin.api import idempotency
from jingmin.appeals import reference
from jingmin.appeals.models import (
    Appeal,
    AppealEvent,
    AppealType,
    Category,
    Channel,
    Result,
    State,
    Urgency,
)
from jingmin.appeals.selectors import allowed_actions
from jingmin.appeals.services import AppealInput
from jingmin.core.codes import CommonError
from jingmin.org.models import Unit, User

# The steps the API offers, by their URL names (the `Action` values); attachments are not among
# them (multipart uploads stay on the pages for now).
API_ACTIONS = (
    "accept",
    "reject",
    "dispatch",
    "sign",
    "contact",
    "transfer",
    "return",
    "conclude",
    "follow-up",
    "review",
    "reopen",
    "supervise",
    "merge",
    "archive",
)

NOTE_MAX_LENGTH = 2000


def actions_for(appeal: Appeal, user: User) -> list[str]:
    """The steps this person could take now (the pages offer the same), those the API carries."""
    return [a for a in allowed_actions(actor=user, appeal=appeal) if a in API_ACTIONS]


class CoordinateField(serializers.DecimalField):
    """Degrees with six decimals (about ten centimetres); longer GPS readings are rounded, not refused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=9, decimal_places=6, coerce_to_string=False, **kwargs)

    def validate_precision(self, value: Decimal) -> Decimal:
        if value.is_finite() and abs(value) < 1000:
            value = value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        return super().validate_precision(value)


# ---------------------------------------------------------------------------------------------
# Output

# The fields an appeal's answer formats its times and coordinates with, made once.
_WHEN = serializers.DateTimeField(read_only=True)
_DEGREES = CoordinateField(read_only=True, allow_null=True)


def _when(value: datetime | None) -> str | None:
    return None if value is None else _WHEN.to_representation(value)


class AppealSerializer(serializers.ModelSerializer):
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    category_name = serializers.CharField(source="category.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    handler_name = serializers.SerializerMethodField()
    latitude = CoordinateField(read_only=True, allow_null=True)
    longitude = CoordinateField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    # Masked always: the full number is for the people who call back, on the pages that log it.
    citizen_name = serializers.CharField(source="citizen_name_masked", read_only=True)
    citizen_phone = serializers.CharField(source="citizen_phone_masked", read_only=True)
    assist_units = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    # Empty ("") until the appeal is concluded, and the type until the clerk has set one: the
    # schema says so (an enum or blank), as a read-only field would otherwise leave the blank out.
    result = serializers.ChoiceField(choices=Result.choices, allow_blank=True, read_only=True)
    type = serializers.ChoiceField(choices=AppealType.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "tracking_code",
            "state",
            "type",
            "category",
            "category_name",
            "urgency",
            "channel",
            "unit",
            "unit_name",
            "intake_unit",
            "district",
            "title",
            "content",
            "address",
            "latitude",
            "longitude",
            "received_at",
            "sign_by",
            "contact_by",
            "conclude_by",
            "due_at",
            "overdue",
            "handler",
            "handler_name",
            "handoffs",
            "supervised",
            "merged_into",
            "result",
            "result_note",
            "citizen_name",
            "citizen_phone",
            "anonymous",
            "assist_units",
            "allowed_actions",
        ]
        read_only_fields = fields

    def to_representation(self, appeal: Appeal) -> dict[str, Any]:
        """The fields above, written out by hand: DRF would build its 35 fields anew for every
        appeal answered (most of a registration's serialization time, and a batch answers 100).
        `test_appeal_answer.py` holds this to what the declared fields give."""
        category = appeal.category
        return {
            "id": appeal.pk,
            "tracking_code": str(appeal.tracking_code),
            "state": str(appeal.state),
            "type": str(appeal.type),
            "category": None if category is None else category.code,
            "category_name": None if category is None else category.name,
            "urgency": str(appeal.urgency),
            "channel": str(appeal.channel),
            "unit": appeal.unit_id,
            "unit_name": None if appeal.unit_id is None else appeal.unit.name,
            "intake_unit": appeal.intake_unit_id,
            "district": appeal.district_id,
            "title": str(appeal.title),
            "content": str(appeal.content),
            "address": str(appeal.address),
            "latitude": _DEGREES.to_representation(appeal.latitude) if appeal.latitude is not None else None,
            "longitude": _DEGREES.to_representation(appeal.longitude)
            if appeal.longitude is not None
            else None,
            "received_at": _when(appeal.received_at),
            "sign_by": _when(appeal.sign_by),
            "contact_by": _when(appeal.contact_by),
            "conclude_by": _when(appeal.conclude_by),
            "due_at": _when(appeal.due_at),
            "overdue": self.get_overdue(appeal),
            "handler": appeal.handler_id,
            "handler_name": self.get_handler_name(appeal),
            "handoffs": int(appeal.handoffs),
            "supervised": bool(appeal.supervised),
            "merged_into": appeal.merged_into_id,
            "result": str(appeal.result),
            "result_note": str(appeal.result_note),
            "citizen_name": appeal.citizen_name_masked,
            "citizen_phone": appeal.citizen_phone_masked,
            "anonymous": bool(appeal.anonymous),
            "assist_units": self.get_assist_units(appeal),
            "allowed_actions": self.get_allowed_actions(appeal),
        }

    def get_handler_name(self, appeal: Appeal) -> str | None:
        return appeal.handler.full_name if appeal.handler is not None else None

    def get_overdue(self, appeal: Appeal) -> bool:
        return appeal.is_open and appeal.due_at is not None and appeal.due_at < timezone.now()

    def get_assist_units(self, appeal: Appeal) -> list[int]:
        if self.context.get("registered"):
            return []  # just registered: no unit assists yet, and no query to say so
        return sorted(assist.unit_id for assist in appeal.assists.all())

    def get_allowed_actions(self, appeal: Appeal) -> list[str]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not isinstance(user, User):
            return []
        return actions_for(appeal, user)


class AppealEventSerializer(serializers.ModelSerializer):
    # Plain strings in the schema: as enums, the state's choice set would get two more names
    # beside the appeal's `state` (spectacular warns), and they are the same values.
    from_state = serializers.CharField(
        read_only=True, help_text=_("An appeal state; empty for the registration.")
    )
    to_state = serializers.CharField(read_only=True, help_text=_("An appeal state."))
    actor_unit_name = serializers.CharField(source="actor_unit.name", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)

    class Meta:
        model = AppealEvent
        fields = [
            "seq",
            "action",
            "from_state",
            "to_state",
            "at",
            "actor_name",
            "actor_unit",
            "actor_unit_name",
            "unit",
            "unit_name",
            "note",
            "data",
        ]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "name_en", "parent"]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # Set here rather than as a class attribute, where `parent` would shadow every field's
        # link to its serializer: the parent's code, which is what appeals and filters speak.
        fields["parent"] = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
        return fields


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "parent"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    """Every error: a message in the person's language and a stable code; `field` when one input
    is at fault, whose own key then lists its messages."""

    detail = serializers.CharField()
    code = serializers.CharField()
    field = serializers.CharField(required=False, allow_null=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


# ---------------------------------------------------------------------------------------------
# Input


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    otp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The six-digit code of the authenticator app, for accounts that have one."),
    )


class AppealListQuerySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    unit = serializers.IntegerField(required=False, help_text=_("A unit id: appeals held in its subtree."))
    category = serializers.CharField(
        max_length=40,
        required=False,
        help_text=_("A category code; a first-level code also matches its second-level categories."),
    )
    # allow_null: an absent flag means "either", not False (query strings are read like forms).
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(
        max_length=100, required=False, help_text=_("Words of the title, content or address.")
    )


class CategoryCodeField(serializers.SlugRelatedField[Category]):
    """A category code, looked up in the process's copy of the taxonomy instead of by a query."""

    def to_internal_value(self, data: Any) -> Category:
        if not isinstance(data, str):
            self.fail("invalid")
        category = reference.category_by_code(data)
        if category is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return category


class AppealCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    type = serializers.ChoiceField(choices=AppealType.choices)
    category = CategoryCodeField(
        slug_field="code", queryset=Category.objects.all(), help_text=_("A second-level category code.")
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.GENERAL)
    title = serializers.CharField(max_length=120)
    content = serializers.CharField(max_length=5000)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = CoordinateField(required=False, allow_null=True, default=None)
    longitude = CoordinateField(required=False, allow_null=True, default=None)
    district = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A police district id."),
    )
    anonymous = serializers.BooleanField(required=False, default=False)
    citizen_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    citizen_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("ISO 8601; now when left out. Never in the future."),
    )

    dispatch_to = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "A unit's id: accept the new appeal and dispatch it there at once, as the intake page does."
        ),
    )


def appeal_input(validated: Mapping[str, Any]) -> AppealInput:
    """The registration's input from what `AppealCreateSerializer` (or a batch item) validated."""
    fields = dict(validated)
    # Not the appeal's own fields: the unit to dispatch to, and a batch item's key.
    fields.pop("dispatch_to", None)
    fields.pop("key", None)
    return AppealInput(**fields)


def parse_with(parser: serializers.Serializer, data: Any) -> dict[str, Any]:
    """`data` validated by `parser`, a serializer made once for many inputs (its fields are built
    once); refused with the same error as `is_valid(raise_exception=True)` on a serializer of its
    own would raise."""
    try:
        return dict(parser.run_validation(data))
    except serializers.ValidationError:
        # The rare refusal is worded by a serializer of its own (an item that is null, say, reads
        # "No data provided", as `Serializer.errors` puts it).
        type(parser)(data=data).is_valid(raise_exception=True)
        raise


class BatchAppealSerializer(AppealCreateSerializer):
    # A batch registers; dispatching is a step of its own, taken appeal by appeal.
    dispatch_to = None  # type: ignore[assignment]
    key = serializers.CharField(
        max_length=64,
        help_text=_(
            "This appeal's own idempotency key (1 to 64 visible ASCII characters, a UUID): sent again, "
            "in this batch or another or as the Idempotency-Key of a single registration, it "
            "registers nothing twice."
        ),
    )

    def validate_key(self, value: str) -> str:
        if not idempotency.valid_key(value):
            raise serializers.ValidationError(
                _("The key must be 1 to %(max)d visible ASCII characters, such as a UUID.")
                % {"max": idempotency.MAX_KEY_LENGTH},
                code=CommonError.INVALID,
            )
        return value


class BatchRequestSerializer(serializers.Serializer):
    appeals = BatchAppealSerializer(many=True)


class BatchOutcome(models.TextChoices):
    CREATED = "created", _("created")
    REPLAYED = "replayed", _("replayed")
    REFUSED = "refused", _("refused")


class BatchResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("The item's position in the request, from 0."))
    key = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=BatchOutcome.choices)
    appeal = AppealSerializer(allow_null=True, help_text=_("The appeal, unless refused."))
    error = ErrorSerializer(allow_null=True, help_text=_("Why the item was refused, as any error."))


class BatchResponseSerializer(serializers.Serializer):
    results = BatchResultSerializer(many=True)


def _text(*, required: bool, help_text: Any = None) -> serializers.CharField:
    # Blank passes here on purpose: the service's own message says what the text is for.
    if required:
        return serializers.CharField(max_length=NOTE_MAX_LENGTH, allow_blank=True, help_text=help_text)
    return serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="", help_text=help_text
    )


class NoteSerializer(serializers.Serializer):
    note = _text(required=False)


class RequiredNoteSerializer(serializers.Serializer):
    note = _text(required=True)


class ReasonSerializer(serializers.Serializer):
    reason = _text(required=True)


class DispatchSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text=_("The lead unit's id."))
    assist_units = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, max_length=20
    )


class TransferSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text=_("The id of the unit that takes the appeal over."))
    reason = _text(required=True)


class ConcludeSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices)
    note = _text(required=True)


class FollowUpSerializer(serializers.Serializer):
    resolved = serializers.BooleanField()
    satisfaction = serializers.IntegerField(
        min_value=1, max_value=5, help_text=_("From 1 (very dissatisfied) to 5 (very satisfied).")
    )
    note = _text(required=False)


class ReviewSerializer(serializers.Serializer):
    reasonable = serializers.BooleanField(help_text=_("A reasonable demand reopens the appeal."))
    note = _text(required=True)


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text=_("The id of the appeal this one duplicates."))
    note = _text(required=False)
