"""The envelope of a record sent from the phone. What the record says is read by the pages' own
forms (the visit form and its rows, the intake form, the forms of the appeal's steps)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jingmin.field.codes import RecordType
from jingmin.field.selectors import FIELD_STEPS


class EnvelopeForm(forms.Form):
    client_id = forms.UUIDField(
        error_messages={
            "required": _("The record has no id of its own; the app must give it one."),
            "invalid": _("The record's id is not a UUID."),
        }
    )
    record = forms.ChoiceField(choices=[(t.value, t.value) for t in RecordType])
    # For a visit: the version of the household the officer saw.
    household_version = forms.CharField(max_length=64, required=False)
    # For a step of "my work".
    appeal = forms.IntegerField(min_value=1, required=False)
    step = forms.ChoiceField(choices=[("", "")] + [(s.value, s.value) for s in FIELD_STEPS], required=False)
