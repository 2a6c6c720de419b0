"""Forms of the evaluation pages: they check the shape of the input; the services decide, and a
`ServiceError(field=...)` is shown beside the field of the same name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jingmin.appeals.forms import grouped_categories
from jingmin.appeals.models import AppealType, Category
from jingmin.core.forms import MultipleFileField, phone_input
from jingmin.evaluation.models import AttendeeKind, EventKind, QuestionKind
from jingmin.evaluation.services import EventInput, NamedAttendee, QuestionInput, SurveyInput
from jingmin.org.models import Unit, User

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLOCKS_DEFAULT = 3
BLOCKS_MAX = 30
NAMED_ROWS = 5


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class EventForm(forms.Form):
    unit = UnitChoiceField(label=_("Station"), queryset=Unit.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_at = forms.DateTimeField(label=_("Time"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200)
    description = forms.CharField(
        label=_("Notice to the public"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the public portal. Write no names or phone numbers."),
    )

    def __init__(self, *args: Any, stations: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = stations  # type: ignore[attr-defined]

    def to_input(self) -> EventInput:
        d = self.cleaned_data
        return EventInput(
            unit=d["unit"],
            kind=d["kind"],
            title=d["title"],
            place=d["place"],
            starts_at=d["starts_at"],
            description=d["description"],
        )


class HoldForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))


class AttendanceForm(forms.Form):
    """A count per kind of attendee, and up to five attendees named with their consent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in AttendeeKind.choices:
            self.fields[f"count_{kind}"] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        for n in range(NAMED_ROWS):
            self.fields[f"name_{n}"] = forms.CharField(label=_("Name"), required=False, max_length=50)
            self.fields[f"kind_{n}"] = forms.ChoiceField(
                label=_("Kind"), choices=AttendeeKind.choices, required=False
            )
            self.fields[f"consent_{n}"] = forms.BooleanField(label=_("Agreed to be named"), required=False)

    def counts(self) -> dict[str, int]:
        d = self.cleaned_data
        return {k: d[f"count_{k}"] for k in AttendeeKind.values if d.get(f"count_{k}") is not None}

    def named(self) -> list[NamedAttendee]:
        d = self.cleaned_data
        return [
            NamedAttendee(
                name=d[f"name_{n}"], kind=d[f"kind_{n}"] or AttendeeKind.RESIDENT, consent=d[f"consent_{n}"]
            )
            for n in range(NAMED_ROWS)
            if d.get(f"name_{n}")
        ]

    def count_fields(self) -> list[forms.BoundField]:
        return [self[f"count_{k}"] for k in AttendeeKind.values]

    def named_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"name_{n}"], self[f"kind_{n}"], self[f"consent_{n}"]) for n in range(NAMED_ROWS)]


class FilesForm(forms.Form):
    files = MultipleFileField(label=_("Minutes, sign-in sheet or photos"))  # type: ignore[assignment]


class RatingForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Rated"), queryset=User.objects.none(), required=False, empty_label=_("The station")
    )
    level_5 = forms.IntegerField(label=_("Very satisfied"), required=False, min_value=0)
    level_4 = forms.IntegerField(label=_("Satisfied"), required=False, min_value=0)
    level_3 = forms.IntegerField(label=_("Fairly satisfied"), required=False, min_value=0)
    level_2 = forms.IntegerField(label=_("Dissatisfied"), required=False, min_value=0)
    level_1 = forms.IntegerField(label=_("Very dissatisfied"), required=False, min_value=0)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = staff  # type: ignore[attr-defined]
        self.fields["officer"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]

    def levels(self) -> dict[int, int]:
        return {n: self.cleaned_data.get(f"level_{n}") or 0 for n in (5, 4, 3, 2, 1)}


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    contact_phone = forms.CharField(
        label=_("Phone for the answer"),
        required=False,
        max_length=20,
        widget=phone_input(),
        help_text=_("Only if the person wants to be told the outcome."),
    )


class ToAppealForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=AppealType.choices)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())

    def __init__(self, *args: Any, categories: QuerySet[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        field.queryset = categories  # type: ignore[attr-defined]
        field.choices = [("", "—"), *grouped_categories(categories, heading_value=False)]  # type: ignore[attr-defined]


class TrackForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Outcome due by"), widget=DATE)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda u: u.full_name  # type: ignore[attr-defined]


class ConcludeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent by SMS to the person if they left a number."),
    )


class SurveyForm(forms.Form):
    """The builder: the survey and a number of question blocks; blank blocks are left out.

    Without script, "more questions" reloads the page with more blocks; a block's position orders
    the questions."""

    title = forms.CharField(label=_("Title"), max_length=120)
    unit = UnitChoiceField(
        label=_("Station or police district"), queryset=Unit.objects.none(), empty_label=None
    )
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)
    intro = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    blocks = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=BLOCKS_MAX)

    def __init__(
        self, *args: Any, units: QuerySet[Unit], blocks: int = BLOCKS_DEFAULT, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if self.is_bound:
            try:
                blocks = int(self.data.get("blocks", blocks))
            except (TypeError, ValueError):
                blocks = BLOCKS_DEFAULT
        self.block_count = max(1, min(blocks, BLOCKS_MAX))
        self.fields["blocks"].initial = self.block_count
        kinds = [("", "—"), *QuestionKind.choices]
        for i in range(self.block_count):
            self.fields[f"q{i}_position"] = forms.IntegerField(
                label=_("Order"), initial=i + 1, min_value=0, max_value=999, required=False
            )
            self.fields[f"q{i}_kind"] = forms.ChoiceField(label=_("Kind"), choices=kinds, required=False)
            self.fields[f"q{i}_text"] = forms.CharField(label=_("Question"), required=False, max_length=300)
            self.fields[f"q{i}_options"] = forms.CharField(
                label=_("Options, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"q{i}_required"] = forms.BooleanField(label=_("Required"), required=False)
            self.fields[f"q{i}_satisfaction"] = forms.BooleanField(
                label=_("Measures satisfaction (1–5 only)"), required=False
            )

    def block_rows(self) -> list[dict[str, forms.BoundField]]:
        names = ("position", "kind", "text", "options", "required", "satisfaction")
        return [{n: self[f"q{i}_{n}"] for n in names} for i in range(self.block_count)]

    def to_input(self) -> tuple[SurveyInput, list[int]]:
        """The survey and, for each question given, the block it came from (to place errors)."""
        d = self.cleaned_data
        questions = []
        origin = []
        for i in range(self.block_count):
            text = d.get(f"q{i}_text") or ""
            options = (d.get(f"q{i}_options") or "").splitlines()
            kind = d.get(f"q{i}_kind") or ""
            if not text.strip() and not any(o.strip() for o in options) and not kind:
                continue
            position = d.get(f"q{i}_position")
            questions.append(
                QuestionInput(
                    kind=kind,
                    text=text,
                    position=i + 1 if position is None else position,
                    required=bool(d.get(f"q{i}_required")),
                    satisfaction=bool(d.get(f"q{i}_satisfaction")),
                    options=options,
                )
            )
            origin.append(i)
        data = SurveyInput(
            unit=d["unit"], title=d["title"], closes_at=d["closes_at"], intro=d["intro"], questions=questions
        )
        return data, origin
