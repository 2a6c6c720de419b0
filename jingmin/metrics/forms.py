from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingmin.metrics import registry


class SettingsForm(forms.Form):
    effective_from = forms.DateField(label=_("Takes effect on"))
    k = forms.DecimalField(
        label=_("Weight k of fairly satisfied"), min_value=Decimal(0), max_value=Decimal(1), decimal_places=2
    )
    repeat_window_days = forms.IntegerField(
        label=_("Repeat window (days)"), min_value=1, max_value=365, initial=30
    )
    excludes = forms.MultipleChoiceField(
        label=_("Leave out"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        excludes = self.fields["excludes"]
        assert isinstance(excludes, forms.MultipleChoiceField)
        excludes.choices = [(e.key, str(e.label)) for e in registry.exclusions()]
        for key in weighted_keys():
            ind = registry.get_indicator(key)
            self.fields[f"w_{key}"] = forms.IntegerField(
                label=str(ind.label) if ind else key, min_value=0, max_value=100, required=False
            )

    def weights(self) -> dict[str, int]:
        return {k: self.cleaned_data[f"w_{k}"] for k in weighted_keys() if self.cleaned_data.get(f"w_{k}")}


def weighted_keys() -> list[str]:
    """The indicators a composite may weigh: the rates (not counts, not the composite itself)."""
    return [
        i.key
        for i in registry.indicators()
        if i.unit == registry.MeasureUnit.PERCENT
        and i.higher_is_better
        and not i.key.startswith("satisfaction_")
    ]
