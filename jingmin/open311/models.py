"""Open311 GeoReport v2: the partner systems that hand appeals over, the extra questions each
service (category) asks, and what a partner sent that an appeal has no column for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingmin.core.crypto import EncryptedTextField


class Partner(models.Model):
    """A system allowed to post service requests, known by its API key.

    Only a keyed hash of the key is stored: the key itself is shown once, when it is issued.
    """

    name = models.CharField(_("name"), max_length=80, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, so that an administrator can tell keys apart without the key.
    key_prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    intake_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving unit")
    )
    contact = models.CharField(_("contact"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 partner")
        verbose_name_plural = _("Open311 partners")

    def __str__(self) -> str:
        return self.name


class Datatype(models.TextChoices):
    """The specification's six kinds of answer."""

    STRING = "string", _("Short text (one line)")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLEVALUELIST = "singlevaluelist", _("One choice from a list")
    MULTIVALUELIST = "multivaluelist", _("Several choices from a list")


LIST_DATATYPES = frozenset({Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST})


class ServiceAttribute(models.Model):
    """One extra question of a service (a second-level category): its service definition.

    Answers are stored on the appeal (`Appeal.attributes`) by `code`, so a code is never reused
    for another meaning; an attribute removed later leaves old answers readable by their code.
    """

    category = models.ForeignKey(
        "appeals.Category",
        on_delete=models.PROTECT,
        related_name="open311_attributes",
        verbose_name=_("category"),
    )
    code = models.CharField(_("code"), max_length=40)
    datatype = models.CharField(_("kind of answer"), max_length=16, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    # False: not a question, only a note shown to the person filling in the form.
    variable = models.BooleanField(_("asks for an answer"), default=True)
    order = models.PositiveSmallIntegerField(_("order"))
    description = models.CharField(_("question"), max_length=300)
    datatype_description = models.CharField(_("hint"), max_length=200, blank=True)
    # [{"key": "...", "name": "..."}] for the two list kinds; empty otherwise.
    values = models.JSONField(_("choices"), default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category", "order"]
        verbose_name = _("service attribute")
        verbose_name_plural = _("service attributes")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attribute_code_unique"),
            models.UniqueConstraint(fields=["category", "order"], name="open311_attribute_order_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="open311_attribute_order_positive"),
            models.CheckConstraint(
                condition=Q(datatype__in=[d.value for d in Datatype]), name="open311_attribute_datatype"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"

    @property
    def is_list(self) -> bool:
        return self.datatype in LIST_DATATYPES


class ServiceRequest(models.Model):
    """What came with an appeal posted through Open311 beyond the appeal's own columns.

    The token lets a partner find the request again (`tokens/{token}`); the fingerprint of the
    post tells a retry (same `Idempotency-Key`, same content) from a reused key. Contact details
    the appeal has no column for are encrypted like the citizen's phone.
    """

    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.PROTECT, related_name="open311_request", editable=False
    )
    # Which partner brought the appeal in: the adapter's own reference (the appeal keeps only the
    # partner's name, as `source`).
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="requests", editable=False)
    token = models.CharField(max_length=32, unique=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    email = EncryptedTextField(_("e-mail"), blank=True)
    device_id = EncryptedTextField(_("device ID"), blank=True)
    account_id = EncryptedTextField(_("account ID"), blank=True)
    address_id = models.CharField(_("address ID"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Open311 service request")
        verbose_name_plural = _("Open311 service requests")

    def __str__(self) -> str:
        return f"{self.appeal_id} ({self.token})"
