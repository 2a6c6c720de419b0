"""Forms of the visit pages.

As in the appeals, forms check only the shape of the input; the services decide, and their
`ServiceError(field=...)` is shown beside the field of the same name. The family's news and the
follow-ups are formsets ("items" and "follow_ups", like the services' fields `items.0.text`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Q
from django.forms import BaseFormSet
from django.utils.translation import gettext_lazy as _

from jingmin.appeals.forms import grouped_categories
from jingmin.appeals.models import AppealType, Category
from jingmin.core.forms import (
    PHOTO_ACCEPT,
    MultipleFileField,
    MultipleFileInput,
    local_now_input,
    phone_input,
)
from jingmin.visits.models import FollowUpKind, ItemKind, VisitKind
from jingmin.visits.services import FollowUpInput, ItemInput, VisitInput

MAX_ROWS = 20


def _textarea(rows: int = 3, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


def _photos_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )


def _decimal_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class VisitForm(forms.Form):
    """The visit form, in the order an officer fills it in at the door."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    household = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organisation = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of visit"),
        choices=VisitKind.choices,
        initial=VisitKind.HOUSEHOLD,
        widget=forms.RadioSelect,
    )
    visited_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Now, unless the visit took place earlier."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    latitude = forms.DecimalField(label=_("Latitude"), required=False, widget=_decimal_input())
    longitude = forms.DecimalField(label=_("Longitude"), required=False, widget=_decimal_input())
    accuracy = forms.DecimalField(label=_("Accuracy (m)"), required=False, widget=_decimal_input())
    summary = forms.CharField(
        label=_("What the visit was about and what was learned"), max_length=5000, widget=_textarea(4)
    )
    # Named like the service argument whose errors it shows (see appeals.forms.IntakeForm.files).
    photos = _photos_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4().hex)
        kwargs["initial"].setdefault("visited_at", local_now_input())
        super().__init__(*args, **kwargs)


class ItemForm(forms.Form):
    """One piece of the family's news; a row left empty is no news."""

    kind = forms.ChoiceField(label=_("News"), choices=[("", "---------"), *ItemKind.choices], required=False)
    text = forms.CharField(label=_("What was learned"), max_length=2000, required=False, widget=_textarea(2))
    person = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, people: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Nobody in the ledger")), *people]  # type: ignore[attr-defined]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("kind") and not (data.get("text") or "").strip()


class FollowUpForm(forms.Form):
    """What must follow; a row left empty is nothing."""

    kind = forms.ChoiceField(
        label=_("Follow-up"), choices=[("", "---------"), *FollowUpKind.choices], required=False
    )
    text = forms.CharField(label=_("What must follow"), max_length=2000, required=False, widget=_textarea(2))
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    appeal_type = forms.ChoiceField(
        label=_("Type of appeal"), choices=AppealType.choices, initial=AppealType.HELP, required=False
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    citizen_name = forms.CharField(label=_("Citizen's name"), max_length=50, required=False)
    citizen_phone = forms.CharField(
        label=_("Citizen's phone"),
        max_length=20,
        required=False,
        widget=phone_input(),
    )

    def __init__(self, *args: Any, categories: Iterable[Category] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *grouped_categories(categories, heading_value=False),
        ]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("kind") and not (data.get("text") or "").strip()

    def clean_category(self) -> Category | None:
        value = self.cleaned_data.get("category")
        return Category.objects.filter(pk=int(value)).first() if value else None


ItemFormSet = forms.formset_factory(ItemForm, extra=1, max_num=MAX_ROWS, validate_max=True)
FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=1, max_num=MAX_ROWS, validate_max=True)


def visit_formsets(data: Any, people: Iterable[tuple[int, str]]) -> tuple[BaseFormSet, BaseFormSet]:
    """The family's news (whom it may concern: `people`) and the follow-ups of a visit form."""
    categories = Category.objects.filter(Q(parent__isnull=True) | Q(parent__is_active=True), is_active=True)
    items = ItemFormSet(data, prefix="items", form_kwargs={"people": list(people)})
    follow_ups = FollowUpFormSet(data, prefix="follow_ups", form_kwargs={"categories": categories})
    return items, follow_ups


def filled_rows(formset: BaseFormSet) -> list[tuple[int, Any]]:
    """The rows that say something, with their index in the formset."""
    return [(i, f) for i, f in enumerate(formset.forms) if f.is_valid() and not f.is_blank()]


def visit_input(
    form: VisitForm, items: list[tuple[int, Any]], follow_ups: list[tuple[int, Any]]
) -> VisitInput:
    """What the visit service records, from a valid form and its filled rows."""
    data = form.cleaned_data
    return VisitInput(
        kind=data["kind"],
        summary=data["summary"],
        household=data["household"],
        person=data["person"],
        organisation=data["organisation"],
        visited_at=data["visited_at"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        accuracy=data["accuracy"],
        items=[
            ItemInput(
                kind=f.cleaned_data["kind"], text=f.cleaned_data["text"], person=f.cleaned_data["person"]
            )
            for _i, f in items
        ],
        follow_ups=[
            FollowUpInput(
                kind=f.cleaned_data["kind"],
                text=f.cleaned_data["text"],
                due_on=f.cleaned_data["due_on"],
                appeal_type=f.cleaned_data["appeal_type"] or "help",
                category=f.cleaned_data["category"],
                citizen_name=f.cleaned_data["citizen_name"],
                citizen_phone=f.cleaned_data["citizen_phone"],
            )
            for _i, f in follow_ups
        ],
    )


class AmendForm(forms.Form):
    summary = forms.CharField(
        label=_("Corrected summary"),
        required=False,
        max_length=5000,
        widget=_textarea(4),
        help_text=_("Leave as it is to keep the summary."),
    )
    reason = forms.CharField(label=_("Why"), max_length=2000, widget=_textarea(2))
    withdraw = forms.BooleanField(label=_("Withdraw: this visit was recorded in error"), required=False)
    photos = _photos_field()


class PlanForm(forms.Form):
    district = forms.IntegerField(widget=forms.HiddenInput)
    months = forms.IntegerField(
        label=_("Every household at least once in (months)"),
        min_value=1,
        max_value=36,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
