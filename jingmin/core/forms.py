from __future__ import annotations

from django import forms

from jingmin.core.errors import ServiceError


def form_add_service_error(form: forms.Form, error: ServiceError) -> None:
    """Show a refused change beside the field it concerns, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def phone_input(*, autocomplete: str = "off") -> forms.TextInput:
    """A phone number's input: the phone keypad on a mobile. Staff forms take other people's
    numbers, so the browser is asked not to fill in its own."""
    return forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": autocomplete})
