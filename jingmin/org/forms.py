from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jingmin.core.forms import captcha_field
from jingmin.org.models import Unit, UnitKind, User
from jingmin.org.roles import BUSINESS_ROLES, Role


class SigninForm(forms.Form):
    """The name and password, and the image sum when the sign-in policy asks for it."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, with_captcha: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_captcha:
            self.ask_captcha()

    def ask_captcha(self) -> None:
        """Add the image sum (after validation too, to show it on the answer to a failure)."""
        self.fields["captcha"] = captcha_field(
            help_text=_("Asked after repeated failed sign-ins; it keeps password-guessing machines out.")
        )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown by your authenticator app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords are not the same."))
        return data


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "　" * obj.depth + obj.name


class UnitCreateForm(forms.Form):
    parent = UnitChoiceField(label=_("Belongs to"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in UnitKind.choices if c[0] != UnitKind.BUREAU]
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Unit code"), max_length=20)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units  # type: ignore[attr-defined]


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, account or police number"), required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class StaffProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    police_number = forms.CharField(label=_("Police number"), max_length=20, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$",
        required=False,
        error_messages={"invalid": _("Enter an 11-digit mobile number or a landline number.")},
    )
    is_active = forms.BooleanField(label=_("Account active"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class StaffCreateForm(StaffProfileForm):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": _("Use letters, digits, dots, dashes and underscores.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=[c for c in Role.choices if c[0] in BUSINESS_ROLES])
    password = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("The person must change it at the first sign-in."),
    )
    field_order = ["username", "full_name", "unit", "role", "police_number", "phone", "password"]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=units, **kwargs)
        del self.fields["is_active"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("Temporary password"), strip=False, widget=forms.PasswordInput)


def staff_initial(user: User) -> dict[str, Any]:
    return {
        "full_name": user.full_name,
        "unit": user.unit_id,
        "police_number": user.police_number,
        "phone": user.phone,
        "is_active": user.is_active,
    }
