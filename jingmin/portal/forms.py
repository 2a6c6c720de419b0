"""Forms of the public portal.

Like the appeal forms, they check the shape of the input; the rules live in the services, whose
`ServiceError(field=...)` the views show beside the field of the same name.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingmin.appeals.forms import CitizenFollowUpForm, grouped_categories
from jingmin.appeals.models import AppealType, Category
from jingmin.core.codes import CommonError
from jingmin.core.forms import PHOTO_ACCEPT, MultipleFileInput, phone_input
from jingmin.core.forms import captcha_field as core_captcha_field
from jingmin.org.models import Unit
from jingmin.portal.models import NoticeKind

KEY_PREFIX = "portal-"


def captcha_field() -> forms.Field:
    return core_captcha_field(
        help_text=_("This check appears when many requests come from one place; it keeps machines out.")
    )


class MultiplePhotoField(forms.ImageField):
    """Several photos in one input. Each is opened with Pillow (Django's ImageField), so a file
    that only claims to be a picture is refused here with its name; the appeal service checks the
    bytes again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(items) > settings.PORTAL_MAX_PHOTOS:
            raise forms.ValidationError(
                _("At most %(count)d photos can be attached.") % {"count": settings.PORTAL_MAX_PHOTOS},
                code=CommonError.TOO_MANY_FILES,
            )
        photos = []
        for item in items:
            name = getattr(item, "name", "") or ""
            if (item.size or 0) > settings.PORTAL_PHOTO_MAX_BYTES:
                raise forms.ValidationError(
                    _("The photo %(name)s is larger than %(mb)d MB. Choose a smaller one.")
                    % {"name": name, "mb": settings.PORTAL_PHOTO_MAX_BYTES // (1024 * 1024)},
                    code=CommonError.FILE_TOO_LARGE,
                )
            try:
                photos.append(super().clean(item, initial))
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("The file %(name)s is not a photo (JPEG, PNG, GIF or WebP).") % {"name": name},
                    code=CommonError.FILE_TYPE,
                ) from exc
        return photos


def _station_choices(stations: QuerySet[Unit]) -> list[tuple[str, str]]:
    return [("", str(_("Not sure"))), *[(str(s.pk), s.name) for s in stations]]


class SubmitForm(forms.Form):
    """The three steps on one page: what happened, where, and who you are."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    # Step 1: what
    type = forms.ChoiceField(
        label=_("What kind of request is it?"),
        choices=AppealType.choices,
        initial=AppealType.HELP,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label=_("What is it about?"))
    content = forms.CharField(
        label=_("Tell us what happened and what you need"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please describe what happened and what you need.")},
    )
    title = forms.CharField(
        label=_("A short title (optional)"),
        max_length=120,
        required=False,
        help_text=_("Left empty, the first words of your text are used."),
    )
    # Asked before anything else is read: a danger now is a matter for 110, not for a form.
    in_danger = forms.BooleanField(
        label=_("Someone is in danger right now"),
        required=False,
        help_text=_(
            "If anyone is in danger right now, call 110 first: this form is read by people, not watched every second."
        ),
    )
    urgent = forms.BooleanField(
        label=_("This is urgent (for example a missing child or elderly person)"),
        required=False,
        help_text=_("An urgent appeal is read first and has shorter deadlines once staff confirm it."),
    )
    # Step 2: where
    address = forms.CharField(
        label=pgettext_lazy("street address", "Address"),
        max_length=200,
        required=False,
        help_text=_("Street, building, landmark: whatever helps us find the place."),
    )
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    station = forms.ChoiceField(label=_("Police station (optional)"), required=False)
    # Its help text names the limits of the settings, so it is set when the form is made.
    photos = MultiplePhotoField(label=_("Photos (optional)"), required=False)
    # Step 3: who
    anonymous = forms.BooleanField(
        label=_("Submit anonymously (no name, no phone number)"),
        required=False,
        help_text=_("You can then follow the appeal only with its tracking code."),
    )
    citizen_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    citizen_phone = forms.CharField(
        label=_("Your mobile number (optional)"),
        max_length=20,
        required=False,
        help_text=_("We send a code by SMS to check the number, and may call you about the appeal."),
        widget=phone_input(autocomplete="tel"),
    )
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=10,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my appeal is handled as it describes."),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        categories: list[Category],
        stations: QuerySet[Unit],
        with_captcha: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("submission_key", KEY_PREFIX + uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.stations = stations
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose…")),
            *grouped_categories(categories, heading_value=False),
        ]
        self.fields["station"].choices = _station_choices(stations)  # type: ignore[attr-defined]
        self.fields["photos"].help_text = _(
            "Up to %(count)d photos of %(mb)d MB each. A photo helps, but is not needed."
        ) % {"count": settings.PORTAL_MAX_PHOTOS, "mb": settings.PORTAL_PHOTO_MAX_BYTES // (1024 * 1024)}
        if with_captcha:
            self.fields["captcha"] = captcha_field()

    def clean_submission_key(self) -> str:
        key = self.cleaned_data["submission_key"]
        if not key.startswith(KEY_PREFIX) or len(key) != len(KEY_PREFIX) + 32:
            # A key the form did not make: a fresh one, so at worst this post is not deduplicated.
            return KEY_PREFIX + uuid.uuid4().hex
        return key

    def clean_category(self) -> Category | None:
        value = self.cleaned_data.get("category")
        if not value:
            raise forms.ValidationError(_("Choose what the appeal is about."), code=CommonError.REQUIRED)
        category = Category.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if category is None:
            raise forms.ValidationError(_("Choose what the appeal is about."), code=CommonError.INVALID)
        return category

    def clean_station(self) -> Unit | None:
        value = self.cleaned_data.get("station")
        if not value:
            return None
        return self.stations.filter(pk=int(value)).first() if value.isdigit() else None


class CodeRequestForm(forms.Form):
    """The "send code" button: only the phone number (and the captcha when one is asked for)."""

    citizen_phone = forms.CharField(max_length=20, required=False)

    def __init__(self, *args: Any, with_captcha: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_captcha:
            self.fields["captcha"] = captcha_field()


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("12 letters and digits, as on the page shown after you submitted, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the tracking code of your appeal.")},
    )

    def __init__(self, *args: Any, with_captcha: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_captcha:
            self.fields["captcha"] = captcha_field()


class RatingForm(CitizenFollowUpForm):
    """The follow-up questions of the citizen's SMS link, on the tracking page."""


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices, initial=NoticeKind.ANNOUNCEMENT)
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Text"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text; empty lines separate paragraphs. It is shown exactly as written."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)
