"""Forms of the appeal pages.

Forms check only the shape of the input (a number is a number, a choice is one of the choices);
the rules of the domain live in the services, whose `ServiceError(field=...)` the views show
beside the field of the same name. So every field here is named like the service's argument.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jingmin.appeals.models import (
    AppealType,
    Category,
    Channel,
    ClockUnit,
    Result,
    Satisfaction,
    State,
    Urgency,
)
from jingmin.appeals.services import AppealInput
from jingmin.core.forms import (
    ATTACHMENT_ACCEPT,
    MultipleFileField,
    MultipleFileInput,
    local_now_input,
    phone_input,
)
from jingmin.org.forms import UnitChoiceField
from jingmin.org.models import Unit

YES, NO = "1", "0"


def category_label(category: Category) -> str:
    """The category's name in the page's language (the English name is optional)."""
    if (get_language() or "").startswith("en") and category.name_en:
        return category.name_en
    return category.name


def grouped_categories(categories: Iterable[Category], *, heading_value: bool) -> list[tuple[Any, Any]]:
    """Choices grouped by heading, for <optgroup>; with `heading_value` the heading itself is a
    choice too (a filter may ask for a whole heading; an appeal is filed under a leaf)."""
    rows = list(categories)
    headings = [c for c in rows if c.parent_id is None]
    groups: list[tuple[Any, Any]] = []
    for heading in headings:
        leaves = [c for c in rows if c.parent_id == heading.pk]
        options: list[tuple[str, str]] = []
        if heading_value:
            options.append((heading.code, str(_("All of %(name)s") % {"name": category_label(heading)})))
            options += [(leaf.code, category_label(leaf)) for leaf in leaves]
        else:
            options += [(str(leaf.pk), category_label(leaf)) for leaf in leaves]
        if options:
            groups.append((category_label(heading), options))
    return groups


def yes_no_field(label: Any, yes: Any, no: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(YES, yes), (NO, no)],
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
    )


def satisfaction_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=[(str(value), label) for value, label in Satisfaction.choices],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
    )


def _textarea(rows: int = 3, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


# ---------------------------------------------------------------------------------------------
# Lists


def _tristate(label: Any, yes: Any, no: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", _("Any")), (YES, yes), (NO, no)])


def _day(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


def month_ranges(today: date) -> list[tuple[Any, date, date]]:
    """The one-click ranges offered beside the date fields: this month so far and last month."""
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return [
        (_("This month"), first, today),
        (_("Last month"), last_month_end.replace(day=1), last_month_end),
    ]


class ReceivedRangeMixin(forms.Form):
    """Received from / to, local days, both included."""

    received_from = _day(_("Received from"))
    received_to = _day(_("Received until"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date comes before the start date."))
        return data

    def received_range(self) -> dict[str, date | None]:
        if not self.is_valid():
            return {}
        return {
            "received_from": self.cleaned_data["received_from"],
            "received_to": self.cleaned_data["received_to"],
        }


class SupervisionFilterForm(ReceivedRangeMixin):
    field_order = ("hours", "received_from", "received_to")
    hours = forms.IntegerField(
        label=_("Overdue, or due within (hours)"),
        required=False,
        min_value=1,
        max_value=24 * 7,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def window_hours(self) -> int:
        return (self.cleaned_data.get("hours") if self.is_valid() else None) or 24


class QueueFilterForm(ReceivedRangeMixin):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Words, tracking code, or the caller's phone or name")}
        ),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *State.choices]
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *AppealType.choices]
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("All urgencies")), *Urgency.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    unit = UnitChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())
    overdue = _tristate(_("Overdue"), _("Overdue"), _("Not overdue"))
    supervised = _tristate(_("Supervision"), _("Supervised"), _("Not supervised"))
    field_order = ("q", "state", "type", "urgency", "category", "unit", "overdue", "supervised")

    def __init__(
        self, *args: Any, units: QuerySet[Unit], categories: Iterable[Category], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("All categories")),
            *grouped_categories(categories, heading_value=True),
        ]

    def filters(self) -> dict[str, Any]:
        """The arguments of `AppealFilters`; an invalid form filters nothing rather than failing."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data

        def tri(value: str) -> bool | None:
            return None if value == "" else value == YES

        return {
            "q": data["q"].strip(),
            "state": data["state"],
            "type": data["type"],
            "urgency": data["urgency"],
            "category": data["category"],
            "unit": data["unit"].pk if data["unit"] else None,
            "overdue": tri(data["overdue"]),
            "supervised": tri(data["supervised"]),
            **self.received_range(),
        }


# ---------------------------------------------------------------------------------------------
# Intake


class IntakeForm(forms.Form):
    """The clerk's form. The field order is the tab order: how it came in and what it is first,
    then the citizen's words, then who they are, then when and where to send it."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, widget=forms.Select(attrs={"autofocus": True})
    )
    type = forms.ChoiceField(label=_("Type"), choices=AppealType.choices)
    category = forms.ChoiceField(label=_("Category"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.GENERAL)
    title = forms.CharField(label=_("Title"), max_length=120, help_text=_("One line the list can show."))
    content = forms.CharField(label=_("What the citizen asks for"), widget=_textarea(5))
    address = forms.CharField(
        label=pgettext_lazy("street address", "Address"), max_length=200, required=False
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    district = UnitChoiceField(label=_("Police district"), required=False, queryset=Unit.objects.none())
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    citizen_name = forms.CharField(label=_("Citizen's name"), max_length=50, required=False)
    citizen_phone = forms.CharField(
        label=_("Citizen's phone"),
        max_length=20,
        required=False,
        widget=phone_input(),
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        help_text=_("Now, unless the appeal came in earlier."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    # Named like the service argument whose errors it shows; the form metaclass moves declared
    # fields off the class, so BaseForm.files (the uploads) is not shadowed at run time.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Attachments"), required=False, help_text=_("Photos or PDF.")
    )
    dispatch_to = UnitChoiceField(
        label=_("Accept and dispatch to"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("Do not dispatch yet"),
    )

    def __init__(
        self,
        *args: Any,
        categories: Iterable[Category],
        districts: QuerySet[Unit],
        dispatch_units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4().hex)
        kwargs["initial"].setdefault("received_at", local_now_input())
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *grouped_categories(categories, heading_value=False),
        ]
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]
        self.fields["dispatch_to"].queryset = dispatch_units  # type: ignore[attr-defined]

    def clean_category(self) -> Category | None:
        value = self.cleaned_data.get("category")
        return Category.objects.filter(pk=int(value)).first() if value else None

    def appeal_input(self) -> AppealInput:
        """What the registration service records, from the valid form."""
        data = self.cleaned_data
        return AppealInput(
            channel=data["channel"],
            type=data["type"],
            category=data["category"],
            urgency=data["urgency"],
            title=data["title"],
            content=data["content"],
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            district=data["district"],
            anonymous=data["anonymous"],
            citizen_name=data["citizen_name"],
            citizen_phone=data["citizen_phone"],
            received_at=data["received_at"],
        )


# ---------------------------------------------------------------------------------------------
# The steps of an appeal; each is posted to `appeals:act` with the action as its prefix.


class SignForm(forms.Form):
    pass


class OptionalNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, widget=_textarea())


class ContactForm(forms.Form):
    note = forms.CharField(label=_("What was said with the citizen"), max_length=2000, widget=_textarea())


class SuperviseForm(forms.Form):
    note = forms.CharField(label=_("What the supervision asks for"), max_length=2000, widget=_textarea(2))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=_textarea(2))


class DispatchForm(forms.Form):
    unit = UnitChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    assist_units = forms.ModelMultipleChoiceField(
        label=_("Assisting units"),
        required=False,
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["assist_units"].queryset = units  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    unit = UnitChoiceField(label=_("Transfer to"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=_textarea(2))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ConcludeForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was done"), max_length=2000, widget=_textarea())
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Photo"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT, "capture": "environment"}),
    )


class FollowUpForm(forms.Form):
    resolved = yes_no_field(_("Was the problem resolved?"), _("Resolved"), _("Not resolved"))
    satisfaction = satisfaction_field()
    note = forms.CharField(
        label=_("What the citizen said"), required=False, max_length=2000, widget=_textarea(2)
    )


class ReviewForm(forms.Form):
    reasonable = yes_no_field(
        _("Is the citizen's demand reasonable?"),
        _("Reasonable: reopen the appeal"),
        _("Not reasonable"),
    )
    note = forms.CharField(label=_("Reason"), max_length=2000, widget=_textarea(2))


class BatchForm(forms.Form):
    """Several appeals of the queue, one step for each (the step is in the address)."""

    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=False)
    unit = forms.IntegerField(required=False)
    note = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any numbers: the service decides, row by row, what the person may act on.
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in raw]  # type: ignore[attr-defined]


class UrgencyForm(forms.Form):
    confirm = yes_no_field(
        _("Does the suggested urgency apply?"),
        _("Yes: make it the appeal's urgency"),
        _("No: keep the urgency registered"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into (tracking code or number)"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea(2))


class AttachForm(forms.Form):
    files = MultipleFileField(label=_("Files"), required=True)  # type: ignore[assignment]
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class CitizenFollowUpForm(forms.Form):
    resolved = yes_no_field(
        _("Was your problem resolved?"), _("Yes, it was resolved"), _("No, it was not resolved")
    )
    satisfaction = satisfaction_field()
    note = forms.CharField(
        label=_("Anything you would like to tell us (optional)"),
        required=False,
        max_length=2000,
        widget=_textarea(4),
    )


# ---------------------------------------------------------------------------------------------
# Settings


class CategoryCreateForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Under the heading"),
        required=False,
        queryset=Category.objects.none(),
        empty_label=_("None: a new heading"),
    )
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("For example order-noise."))
    name = forms.CharField(label=_("Name"), max_length=60)
    name_en = forms.CharField(label=_("English name"), max_length=80, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args: Any, headings: QuerySet[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = headings  # type: ignore[attr-defined]


class CategoryUpdateForm(forms.Form):
    category = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=60)
    name_en = forms.CharField(label=_("English name"), max_length=80, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767)
    is_active = forms.BooleanField(label=_("Active"), required=False)


class DeadlinePolicyForm(forms.Form):
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Every type (default)")), *AppealType.choices]
    )
    sign_amount = forms.IntegerField(label=_("Sign for within"), min_value=1)
    sign_unit = forms.ChoiceField(label=_("unit"), choices=ClockUnit.choices)
    contact_amount = forms.IntegerField(label=_("First contact within"), min_value=1)
    contact_unit = forms.ChoiceField(label=_("unit"), choices=ClockUnit.choices)
    conclude_amount = forms.IntegerField(label=_("Conclude within"), min_value=1)
    conclude_unit = forms.ChoiceField(label=_("unit"), choices=ClockUnit.choices)
