"""Names the ledger domain writes into rows, declared once (audit actions: `<domain>.<entity>_<verb>`,
labelled as the audit page shows them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    RECORDS_EXPORT = "ledger.records_export", _("Ledger exported")
    PERSON_READ = "ledger.person_read", _("Person's record read")
    IDENTIFIER_REVEAL = "ledger.identifier_reveal", _("ID number or phone revealed")
    PERSON_DEACTIVATE = "ledger.person_deactivate", _("Person left the ledger")
    PERSON_REACTIVATE = "ledger.person_reactivate", _("Person back in the ledger")
    IMPORT_UPLOAD = "ledger.import_upload", _("Ledger workbook uploaded")
    IMPORT_CONFIRM = "ledger.import_confirm", _("Ledger import confirmed")
    IMPORT_APPLY = "ledger.import_apply", _("Ledger import written")
    IMPORT_REPORT = "ledger.import_report", _("Ledger import report downloaded")
    ADDRESS_CREATE = "ledger.address_create", _("Address added")
    ADDRESS_UPDATE = "ledger.address_update", _("Address changed")
    HOUSE_CREATE = "ledger.house_create", _("House added")
    HOUSE_UPDATE = "ledger.house_update", _("House changed")
    HOUSEHOLD_CREATE = "ledger.household_create", _("Household added")
    HOUSEHOLD_UPDATE = "ledger.household_update", _("Household changed")
    PERSON_CREATE = "ledger.person_create", _("Person added")
    PERSON_UPDATE = "ledger.person_update", _("Person changed")
    ORGANISATION_CREATE = "ledger.organisation_create", _("Organisation added")
    ORGANISATION_UPDATE = "ledger.organisation_update", _("Organisation changed")


def record_action(record_type: str, verb: str) -> AuditAction:
    """The audit action of creating or changing a ledger record of a type (`RecordType`)."""
    return AuditAction(f"ledger.{record_type}_{verb}")
