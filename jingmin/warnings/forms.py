"""Forms of the early-warning pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jingmin.warnings.models import Kind, Severity, State, Theme


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[
            ("open", _("Not closed")),
            ("", _("All states")),
            *[c for c in State.choices if c[0] != "open"],
        ],
        required=False,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("All")), *Severity.choices], required=False
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)


class StepForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class WordForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    word = forms.CharField(label=_("Word"), max_length=30)
