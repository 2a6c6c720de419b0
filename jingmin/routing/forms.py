"""Forms of the routing pages, and what the intake form reports it suggested."""

from __future__ import annotations

from typing import Any

from django import forms

from jingmin.routing.services import Shown


class ShownForm(forms.Form):
    """The hidden inputs the suggestion fragment adds to the intake form (`_suggest.html`)."""

    routing_model = forms.IntegerField(min_value=1)
    routing_category = forms.IntegerField(min_value=1, required=False)
    routing_category_confidence = forms.FloatField(min_value=0, max_value=1, required=False)
    routing_unit = forms.IntegerField(min_value=1, required=False)
    routing_unit_confidence = forms.FloatField(min_value=0, max_value=1, required=False)


def shown_from(data: Any) -> Shown | None:
    """What the intake form showed, from its posted data; None when it showed nothing (or sent
    something that is not a suggestion: that is no reason to refuse the citizen's appeal)."""
    form = ShownForm(data)
    if not form.is_valid():
        return None
    d = form.cleaned_data
    return Shown(
        model=d["routing_model"],
        category=d["routing_category"],
        category_confidence=d["routing_category_confidence"],
        unit=d["routing_unit"],
        unit_confidence=d["routing_unit_confidence"],
    )
