"""Forms of the dispute pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from jingmin.core.forms import MultipleFileField, phone_input
from jingmin.disputes.models import DisputeType, Grade, HandOverTo, PartyRole, Source, State
from jingmin.disputes.services import DisputeInput, PartyInput

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DisputeForm(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    occurred_at = forms.DateTimeField(label=_("Time"), widget=DATETIME, required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    district = forms.TypedChoiceField(label=_("Police district"), coerce=int, choices=())
    type = forms.ChoiceField(label=_("Type"), choices=DisputeType.choices)
    grade = forms.ChoiceField(label=_("Risk grade"), choices=Grade.choices, initial=Grade.BLUE)
    people_involved = forms.IntegerField(label=_("People involved"), min_value=1, initial=2)
    amount_involved = forms.DecimalField(
        label=_("Money involved (yuan)"), min_value=0, decimal_places=2, max_digits=14, required=False
    )
    source = forms.ChoiceField(widget=forms.HiddenInput, choices=Source.choices, initial=Source.SCREENING)
    appeal = forms.IntegerField(widget=forms.HiddenInput, required=False)
    visit_item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    signal = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, districts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = districts  # type: ignore[attr-defined]

    def as_input(self, parties: list[PartyInput]) -> DisputeInput:
        d = self.cleaned_data
        return DisputeInput(
            title=d["title"],
            description=d["description"],
            place=d["place"],
            district=d["district"],
            type=d["type"],
            grade=d["grade"],
            occurred_at=d["occurred_at"],
            people_involved=d["people_involved"],
            amount_involved=d["amount_involved"],
            parties=parties,
            source=d["source"] or Source.SCREENING,
            appeal=d["appeal"],
            visit_item=d["visit_item"],
            signal_id=d["signal"],
        )


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False, widget=phone_input())
    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def filled(self) -> bool:
        d = getattr(self, "cleaned_data", {})
        return bool(d.get("name") or d.get("phone") or d.get("id_number") or d.get("person"))

    def as_input(self) -> PartyInput:
        d = self.cleaned_data
        return PartyInput(
            role=d["role"], name=d["name"], phone=d["phone"], id_number=d["id_number"], person=d["person"]
        )


PartyFormSet = formset_factory(PartyForm, extra=2, max_num=20)


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *State.choices], required=False
    )
    grade = forms.ChoiceField(
        label=_("Risk grade"), choices=[("", _("All grades")), *Grade.choices], required=False
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *DisputeType.choices], required=False
    )
    open = forms.BooleanField(label=_("Open only"), required=False)
    overdue = forms.BooleanField(label=_("Past the deadline"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=60)


class MediateForm(forms.Form):
    with_whom = forms.CharField(label=_("With whom"), max_length=200)
    what = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    agreed = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    at = forms.DateTimeField(label=_("When"), widget=DATETIME, required=False)


class VisitForm(forms.Form):
    what = forms.CharField(label=_("What the visit found"), widget=forms.Textarea(attrs={"rows": 3}))
    at = forms.DateTimeField(label=_("When"), widget=DATETIME, required=False)


class RegradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("New risk grade"), choices=Grade.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))


class HandOverForm(forms.Form):
    to_kind = forms.ChoiceField(label=_("Handed over to"), choices=HandOverTo.choices)
    to = forms.CharField(label=_("Receiving body"), max_length=120)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ContainForm(forms.Form):
    note = forms.CharField(label=_("How it is contained"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachForm(forms.Form):
    attachments = MultipleFileField(label=_("Attachments"))


STEP_FORMS: dict[str, type[forms.Form]] = {
    "mediate": MediateForm,
    "visit": VisitForm,
    "regrade": RegradeForm,
    "resolve": ResolveForm,
    "hand_over": HandOverForm,
    "contain": ContainForm,
}


class ReportForm(forms.Form):
    station = forms.TypedChoiceField(label=_("Station"), coerce=int, choices=())
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(self, *args: Any, stations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = stations  # type: ignore[attr-defined]
