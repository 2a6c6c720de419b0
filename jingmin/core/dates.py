"""Dates and times as people read them in what the product sends: notifications, SMS, e-mail
and the messages that quote a moment. In Chinese "2026年12月3日 14:00", never the ISO form a
program writes; always in the bureau's time zone. One helper, so every text says it alike."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def spoken_date(value: date) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    # The catalog gives the Chinese order and characters: "%(year)d年%(month)d月%(day)d日".
    return _("%(year)d-%(month)02d-%(day)02d") % {"year": value.year, "month": value.month, "day": value.day}


def spoken_datetime(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{spoken_date(local.date())} {local:%H:%M}"
