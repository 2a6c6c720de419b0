from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingmin.core.crypto import EncryptedTextField, mask
from jingmin.org.roles import Role


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("Bureau")
    BRANCH = "branch", _("Branch bureau")
    STATION = "station", _("Police station")
    DISTRICT = "district", _("Police district")
    DEPARTMENT = "department", _("Functional department")


# Which kind of unit may hang under which: the tree of the GUIDE, with departments at the bureau
# or a branch, and stations directly under a county bureau that has no branches.
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    UnitKind.BUREAU: frozenset(),
    UnitKind.BRANCH: frozenset({UnitKind.BUREAU}),
    UnitKind.STATION: frozenset({UnitKind.BUREAU, UnitKind.BRANCH}),
    UnitKind.DISTRICT: frozenset({UnitKind.STATION}),
    UnitKind.DEPARTMENT: frozenset({UnitKind.BUREAU, UnitKind.BRANCH}),
}


class Unit(models.Model):
    """A node of the organisation tree.

    `path` is a materialised path of zero-padded ids ("000001/000004/"), so that "everything under
    this unit" is one indexed prefix match: the basis of data scope for every domain.
    """

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("unit code"), max_length=20, unique=True)
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # The intake desk of last resort (the bureau's command centre, 指挥中心): whatever arrives
    # without a station lands here, so that every appeal has someone able to take its next step.
    is_intake_desk = models.BooleanField(_("intake desk"), default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, kind="bureau") | Q(parent__isnull=False) & ~Q(kind="bureau"),
                name="unit_only_bureau_is_root",
            ),
            models.UniqueConstraint(
                fields=["is_intake_desk"], condition=Q(is_intake_desk=True), name="unit_one_intake_desk"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def path_segment(pk: int) -> str:
        from jingmin.org.scope import path_segment

        return path_segment(pk)


class User(AbstractUser):
    """A staff account. Citizens have no accounts."""

    full_name = models.CharField(_("full name"), max_length=50)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    police_number = models.CharField(_("police number"), max_length=20, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    failed_signins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    password_change_required = models.BooleanField(default=False)

    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["unit__path", "username"]
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    @property
    def phone_masked(self) -> str:
        return mask(self.phone)

    def is_locked(self, at: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (at or timezone.now())
