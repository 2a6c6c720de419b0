"""What the forms of every domain share: service errors beside their field, the phone input, the
file inputs and the local time an input starts from."""

from __future__ import annotations

from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput  # type: ignore[import-untyped]
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError

# What the file pickers offer: the types `jingmin.core.uploads.check_upload` takes.
ATTACHMENT_ACCEPT = (
    "image/jpeg,image/png,image/gif,image/webp,application/pdf,.jpg,.jpeg,.png,.gif,.webp,.pdf"
)
PHOTO_ACCEPT = "image/jpeg,image/png,image/gif,image/webp,.jpg,.jpeg,.png,.gif,.webp"


def form_add_service_error(form: forms.Form, error: ServiceError) -> None:
    """Show a refused change beside the field it concerns, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def phone_input(*, autocomplete: str = "off") -> forms.TextInput:
    """A phone number's input: the phone keypad on a mobile. Staff forms take other people's
    numbers, so the browser is asked not to fill in its own."""
    return forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": autocomplete})


class CaptchaInput(CaptchaTextInput):
    """The library's widget with the site's markup: a labelled picture and a numeric keyboard."""

    template_name = "core/_captcha_widget.html"


def captcha_field(*, help_text: str | Promise = "") -> CaptchaField:
    """The offline image sum (django-simple-captcha) that the portal's limits and the staff
    sign-in ask for when a place or an account draws too many attempts."""
    return CaptchaField(
        label=_("Work out the sum in the picture"),
        help_text=help_text,
        widget=CaptchaInput(attrs={"inputmode": "numeric", "class": "captcha-answer"}),
        error_messages={
            "invalid": _("That is not the answer to the sum in the picture. Try the new one."),
            "required": _("Enter the answer to the sum in the picture."),
        },
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the service checks each file's
    bytes, so the form only collects them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        files = [single(item, initial) for item in items if item]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code=CommonError.REQUIRED)
        return files


def local_now_input() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")
