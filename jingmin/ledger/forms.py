"""Forms of the ledger pages.

Forms check only the shape of the input; the rules live in the services, whose
`ServiceError(field=...)` the views show beside the field of the same name. Identifiers are never
put back into a form: an edit form leaves the ID number and phone empty, and an empty field keeps
what the ledger holds (a full value reaches the page only through the audited reveal).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingmin.core.forms import phone_input
from jingmin.ledger.models import (
    AddressKind,
    HouseUse,
    ImportMode,
    LeaveReason,
    OrganisationKind,
    Relation,
    Residence,
    Sex,
    Tag,
)
from jingmin.org.forms import UnitChoiceField
from jingmin.org.models import Unit


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _decimal(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def initial_of(record: Any, form_class: type[forms.Form], *, secret: tuple[str, ...] = ()) -> dict[str, Any]:
    """An edit form's values, read from the record's attributes of the same names. Identifiers in
    `secret` are left out: the page never holds them in full (see `keep_secret`)."""
    return {
        name: getattr(record, name)
        for name in form_class.base_fields
        if name != "submission_key" and name not in secret
    }


def keep_secret(form: forms.Form, name: str, masked: str) -> None:
    """The field of an identifier the record holds: shown masked beside it, kept when left empty."""
    form.fields[name].help_text = _("Holds %(masked)s. Leave empty to keep it.") % {"masked": masked}


class SubmissionKeyMixin(forms.Form):
    """A hidden key, fixed when the form is first shown: a retried submission creates nothing twice."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=80, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, ID number or phone"),
        required=False,
        max_length=40,
        help_text=_("The beginning of a name, or a whole ID number or phone number."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    tag = forms.ChoiceField(label=_("Care tag"), required=False)
    residence = forms.ChoiceField(
        label=_("Residence status"), required=False, choices=[("", _("All")), *Residence.choices]
    )
    inactive = forms.BooleanField(label=_("Show persons who left"), required=False)

    def __init__(self, *args: Any, tags: QuerySet[Tag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("All")), *[(t.code, t.name) for t in tags]]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"q": "", "tag": "", "residence": "", "inactive": False}
        return {k: self.cleaned_data[k] for k in ("q", "tag", "residence", "inactive")}


class AddressSearchForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("street address", "Address"),
        required=False,
        max_length=60,
        help_text=_("Any part of the address, such as 幸福路12号."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or credit code"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AddressForm(SubmissionKeyMixin):
    kind = forms.ChoiceField(label=_("Kind"), choices=AddressKind.choices)
    name = forms.CharField(
        label=_("Name"), max_length=60, help_text=_("As written: 幸福路, 12号, 3栋, 502室.")
    )
    district = UnitChoiceField(
        label=_("Police district"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("The same as the address above"),
    )
    latitude = _decimal(_("Latitude"))
    longitude = _decimal(_("Longitude"))

    def __init__(self, *args: Any, districts: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]


class AddressEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    latitude = _decimal(_("Latitude"))
    longitude = _decimal(_("Longitude"))
    is_active = forms.BooleanField(label=_("In use"), required=False)


class HouseForm(SubmissionKeyMixin):
    use = forms.ChoiceField(label=_("Use"), choices=HouseUse.choices, initial=HouseUse.RESIDENTIAL)
    rented = forms.BooleanField(label=_("Rented out"), required=False)
    owner_name = forms.CharField(label=_("Owner"), max_length=60, required=False)
    owner_phone = forms.CharField(
        label=_("Owner's phone"),
        max_length=20,
        required=False,
        widget=phone_input(),
    )
    area = forms.DecimalField(label=_("Floor area (m²)"), required=False, max_digits=8, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, widget=_textarea(2))
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class HouseholdForm(SubmissionKeyMixin):
    number = forms.CharField(label=_("Household number"), max_length=30, required=False)
    head = forms.ChoiceField(label=_("Head of household"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=_textarea(2))
    is_active = forms.BooleanField(label=_("Still lives here"), required=False, initial=True)

    def __init__(self, *args: Any, members: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["head"]
        else:
            self.fields["head"].choices = [("", _("None yet")), *[(str(p.pk), p.name) for p in members]]  # type: ignore[attr-defined]


_ID_HELP = _(
    "18 characters (the last may be X), or an old 15-digit number; a passport number for a foreign national."
)


class PersonForm(SubmissionKeyMixin):
    name = forms.CharField(label=_("Name"), max_length=60)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=20,
        required=False,
        help_text=_ID_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("Taken from the ID number when there is one."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=phone_input(),
    )
    residence = forms.ChoiceField(label=_("Residence status"), choices=Residence.choices)
    nationality = forms.CharField(label=_("Nationality"), max_length=40, required=False)
    household = forms.ChoiceField(label=_("Household"), required=False)
    relation = forms.ChoiceField(
        label=_("Relation to the head"), required=False, choices=[("", "—"), *Relation.choices]
    )
    tags = forms.MultipleChoiceField(
        label=_("Care tags"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_textarea(2))
    clear_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)

    def __init__(
        self,
        *args: Any,
        tags: QuerySet[Tag],
        households: list[Any],
        editing: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [(t.code, t.name) for t in tags]  # type: ignore[attr-defined]
        self.fields["household"].choices = [  # type: ignore[attr-defined]
            ("", _("Not in a household")),
            *[(str(h.pk), h.number or str(_("(no number)"))) for h in households],
        ]
        if editing is None:
            del self.fields["clear_phone"]
        else:
            if editing.id_number:
                keep_secret(self, "id_number", editing.id_number_masked)
            if editing.phone:
                keep_secret(self, "phone", editing.phone_masked)
            else:
                del self.fields["clear_phone"]


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the person leaves the ledger"), choices=LeaveReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class OrganisationForm(SubmissionKeyMixin):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices, initial=OrganisationKind.SHOP)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=20, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        widget=phone_input(),
    )
    employees = forms.IntegerField(label=_("Employees"), required=False, min_value=0)
    note = forms.CharField(label=_("Note"), required=False, widget=_textarea(2))
    is_active = forms.BooleanField(label=_("Still at this address"), required=False, initial=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
    mode = forms.ChoiceField(
        label=_("When rows are rejected"),
        choices=[
            (ImportMode.ALL_OR_NOTHING, _("Import nothing until every row is right")),
            (ImportMode.VALID_ROWS, _("Import the valid rows and report the rest")),
        ],
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
