from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jingmin.audit.actions import action_label
from jingmin.audit.codes import AuditAction
from jingmin.audit.models import AuditEntry
from jingmin.audit.services import audit_record
from jingmin.core.sheets import Sheets

if TYPE_CHECKING:
    from jingmin.org.models import User

EXPORT_LIMIT = 100_000


def audit_export_xlsx(*, actor: User, rows: QuerySet[AuditEntry], filters: dict[str, Any]) -> Iterator[bytes]:
    """Write the matching rows to a workbook and stream it; the export itself is recorded."""
    audit_record(actor=actor, action=AuditAction.LOG_EXPORT, detail={k: str(v) for k, v in filters.items()})
    return _workbook_stream(rows)


def _workbook_stream(rows: QuerySet[AuditEntry]) -> Iterator[bytes]:
    workbook = Sheets()
    sheet = workbook.sheet(_("Audit log"))
    sheet.append(
        [
            _("Row"),
            _("Time"),
            _("Account"),
            _("Action"),
            _("Record type"),
            _("Record"),
            _("Detail"),
            pgettext("network address", "Address"),
            _("Hash"),
        ]
    )
    for row in rows.iterator(chunk_size=2000):
        sheet.append(
            [
                row.seq,
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.actor_username,
                str(action_label(row.action, row.target_type)),
                row.target_type,
                row.target_repr or row.target_id,
                str(row.detail) if row.detail else "",
                row.ip,
                row.hash,
            ]
        )
    yield from workbook.stream()
