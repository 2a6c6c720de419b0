"""The official schedule of public holidays and adjusted working days (调休), year by year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The years a schedule may be entered for; a typo such as 207 or 20277 is refused by the database.
FIRST_YEAR = 2000
LAST_YEAR = 2100


class CalendarSource(models.TextChoices):
    CHINESE_CALENDAR = "chinese-calendar", _("chinese-calendar package")
    MANUAL = "manual", _("Entered by hand")


class CalendarYear(models.Model):
    """A row means the year's official schedule is in the database.

    Without it the year counts weekends only, and the pages warn about it.
    """

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=20, choices=CalendarSource.choices)
    published_note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="worktime_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that breaks the weekend rule: a holiday on a weekday, or a working Saturday or Sunday.

    Days that follow the rule are not stored, so a year is a few dozen rows and a lookup is a set
    membership test.
    """

    day = models.DateField(_("day"), primary_key=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=CalendarSource.choices)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name}".strip()
