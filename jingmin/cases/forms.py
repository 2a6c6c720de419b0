"""Forms of the case pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jingmin.cases.models import HelpCloseReason, PersuasionOutcome

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class HelpCaseForm(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    household = forms.IntegerField(widget=forms.HiddenInput)
    hardship = forms.CharField(label=_("The family's hardship"), widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(label=_("Plan of help"), widget=forms.Textarea(attrs={"rows": 3}))


class HelpActForm(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    what = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    at = forms.DateTimeField(label=_("When"), widget=DATETIME, required=False)
    visit = forms.TypedChoiceField(label=_("On the visit"), coerce=int, required=False, empty_value=None)


class HelpCloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=HelpCloseReason.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PersuasionCaseForm(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    district = forms.TypedChoiceField(label=_("Police district"), coerce=int, choices=())
    wanted_name = forms.CharField(label=_("Wanted person"), max_length=60)
    wanted_id_number = forms.CharField(label=_("ID number"), max_length=30)

    def __init__(self, *args: object, districts: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["district"].choices = districts  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)
    relative = forms.CharField(label=_("Family member"), max_length=60)
    relation = forms.CharField(label=_("Relation"), max_length=30, required=False)
    what = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}))
    response = forms.CharField(
        label=_("How the family answered"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    at = forms.DateTimeField(label=_("When"), widget=DATETIME, required=False)
    visit = forms.TypedChoiceField(label=_("On the visit"), coerce=int, required=False, empty_value=None)


class PersuasionCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PersuasionOutcome.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
