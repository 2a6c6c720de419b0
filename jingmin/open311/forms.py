from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jingmin.core.codes import CommonError
from jingmin.open311.models import Datatype
from jingmin.org.forms import UnitChoiceField
from jingmin.org.models import Unit


class PartnerForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("The partner system as people know it, e.g. 12345市民服务热线."),
    )
    intake_unit = UnitChoiceField(
        label=_("Receiving unit"),
        queryset=Unit.objects.none(),
        help_text=_("Appeals this partner posts arrive in this unit's queue, which dispatches them."),
    )
    contact = forms.CharField(
        label=_("Contact"),
        max_length=120,
        required=False,
        help_text=_("Who runs the partner system: a name and a phone number or e-mail."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["intake_unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units.filter(is_active=True)


class AttributeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "What partners send as attribute[code]; letters, digits, dots, dashes, underscores. It cannot change later."
        ),
    )
    description = forms.CharField(label=_("Question"), max_length=300)
    datatype = forms.ChoiceField(label=_("Kind of answer"), choices=Datatype.choices)
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=999, help_text=_("1 is asked first."))
    required = forms.BooleanField(label=_("Required"), required=False)
    variable = forms.BooleanField(
        label=_("Asks for an answer"),
        required=False,
        initial=True,
        help_text=_("Untick for a note shown to the person filling in the form, which takes no answer."),
    )
    datatype_description = forms.CharField(
        label=_("Hint"),
        max_length=200,
        required=False,
        help_text=_("Helps people answer, e.g. the format expected."),
    )
    values = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the two list kinds: one choice a line, as key = name, e.g. renovation = 装修."),
    )

    def clean_values(self) -> list[dict[str, str]]:
        choices: list[dict[str, str]] = []
        for number, line in enumerate(self.cleaned_data.get("values", "").splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, name = line.partition("=")
            if not sep or not key.strip() or not name.strip():
                raise forms.ValidationError(
                    _("Line %(number)d is not key = name."),
                    code=CommonError.INVALID,
                    params={"number": number},
                )
            choices.append({"key": key.strip(), "name": name.strip()})
        return choices


def attribute_initial(row: Any) -> dict[str, Any]:
    return {
        "code": row.code,
        "description": row.description,
        "datatype": row.datatype,
        "order": row.order,
        "required": row.required,
        "variable": row.variable,
        "datatype_description": row.datatype_description,
        "values": "\n".join(f"{v['key']} = {v['name']}" for v in row.values),
    }
