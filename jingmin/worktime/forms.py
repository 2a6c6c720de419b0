from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jingmin.worktime.codes import ErrorCode
from jingmin.worktime.models import FIRST_YEAR, LAST_YEAR, CalendarDay
from jingmin.worktime.services import NAME_MAX_LENGTH, DaySpec

HOLIDAY, WORKDAY = "holiday", "workday"
# The words a pasted line may use for its status; the Chinese ones are how the notices mark days.
STATUS_WORDS = {HOLIDAY: False, "休": False, WORKDAY: True, "班": True}
STATUS_CHOICES = [(HOLIDAY, _("Rest day (holiday)")), (WORKDAY, _("Working day"))]


class YearChoiceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


class DaySetForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES)
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_("For example 国庆节 or 调休上班."),
    )

    def service_args(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"day": data["day"], "is_workday": data["status"] == WORKDAY, "name": data["name"]}


class YearPublishForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    note = forms.CharField(
        label=_("Source of the schedule"),
        max_length=500,
        required=False,
        help_text=_("The State Council's notice, for example its number and date."),
    )
    lines = forms.CharField(
        label=_("Holidays and working weekends"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "autocapitalize": "off"}),
        help_text=_(
            "One day a line: the date, “holiday” or “workday”, and a name, for example "
            "“2027-01-01 holiday 元旦” or “2027-02-07 workday 调休上班”. "
            "Holidays that fall on a weekend may be listed; they change nothing."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("lines")
        if text:
            days, errors = parse_lines(text, data.get("year"))
            if errors:
                self.add_error("lines", errors)
            else:
                data["days"] = days
        return data


def parse_lines(text: str, year: int | None) -> tuple[list[DaySpec], list[ValidationError]]:
    """The days of a pasted schedule, or one message per bad line (then no days at all)."""
    days: list[DaySpec] = []
    errors: list[ValidationError] = []
    first_line: dict[date, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        # str.split() also splits on the ideographic space a Chinese input method types.
        parts = line.split(maxsplit=2)
        if not parts:
            continue
        problem = _line_problem(parts, year, first_line)
        if problem is not None:
            errors.append(
                ValidationError(
                    _("Line %(number)d (“%(line)s”): %(problem)s"),
                    params={"number": number, "line": line.strip(), "problem": problem},
                    code=ErrorCode.BAD_LINE,
                )
            )
            continue
        day = date.fromisoformat(parts[0])
        first_line[day] = number
        days.append((day, STATUS_WORDS[parts[1].lower()], parts[2].strip() if len(parts) > 2 else ""))
    if not days and not errors:
        errors.append(ValidationError(_("Enter at least one day."), code=ErrorCode.NO_DAYS))
    return days, errors


def _line_problem(parts: list[str], year: int | None, first_line: dict[date, int]) -> str | None:
    try:
        day = date.fromisoformat(parts[0])
    except ValueError:
        return str(_("“%(text)s” is not a date written as 2027-01-01.") % {"text": parts[0]})
    if len(parts) < 2 or parts[1].lower() not in STATUS_WORDS:
        return str(_("after the date, write “holiday” or “workday”."))
    if year is not None and day.year != year:
        return str(_("the day is not in %(year)s.") % {"year": str(year)})
    if day in first_line:
        return str(_("the day is already on line %(number)d.") % {"number": first_line[day]})
    if len(parts) > 2 and len(parts[2].strip()) > NAME_MAX_LENGTH:
        return str(_("the name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH})
    return None


def lines_initial(days: list[CalendarDay]) -> str:
    """A stored year written back as pasted lines, so that publishing again starts from it."""
    return "\n".join(
        f"{row.day.isoformat()} {WORKDAY if row.is_workday else HOLIDAY} {row.name}".rstrip() for row in days
    )
