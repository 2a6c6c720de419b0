from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingmin.audit.actions import all_actions


def _action_choices() -> list[tuple[str, Any]]:
    # Every action of every domain, read when the form is built: the apps are loaded by then.
    return [("", _("All actions")), *all_actions().items()]


class AuditFilterForm(forms.Form):
    account = forms.CharField(label=_("Account"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=_action_choices)
    target = forms.CharField(label=_("Record"), required=False)
    ip = forms.GenericIPAddressField(label=pgettext_lazy("network address", "Address"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
