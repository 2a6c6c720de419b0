"""Names the ledger domain writes into rows and answers, declared once (audit actions:
`<domain>.<entity>_<verb>`, labelled as the audit page shows them; error codes, each member named
by its code in capitals, the codes other packages share being `jingmin.core.codes.CommonError`)."""

from __future__ import annotations

from enum import StrEnum

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


class ErrorCode(StrEnum):
    BAD_CREDIT_CODE = "bad_credit_code"
    BAD_PHONE = "bad_phone"
    DAMAGED = "damaged"
    DUPLICATE_ID = "duplicate_id"
    HEAD_TAKEN = "head_taken"
    ID_BAD_BIRTH_DATE = "id_bad_birth_date"
    ID_BAD_CHECK = "id_bad_check"
    ID_BAD_FORMAT = "id_bad_format"
    ID_BIRTH_MISMATCH = "id_birth_mismatch"
    ID_FUTURE_BIRTH_DATE = "id_future_birth_date"
    ID_SEX_MISMATCH = "id_sex_mismatch"
    NOT_A_DOOR = "not_a_door"
    NOT_XLSX = "not_xlsx"
    ROWS_REJECTED = "rows_rejected"
    TOO_MANY_ROWS = "too_many_rows"
    WRONG_HEADERS = "wrong_headers"
    WRONG_SHEETS = "wrong_sheets"


def record_action(record_type: str, verb: str) -> AuditAction:
    """The audit action of creating or changing a ledger record of a type (`RecordType`)."""
    return AuditAction(f"ledger.{record_type}_{verb}")
