"""The life of one import: upload, check (the preview), confirmation, writing, report.

The page uploads a workbook (`import_upload`); a task checks every row (`import_check`) and the
page shows the counts and the rejected rows; the chief confirms (`import_confirm`) and a task
writes (`import_write`). Both steps run as tasks of the Tasks API so that a large file does not
hold a request, and the page polls the run's progress. `import_file` does the same in one go for
`manage.py ledger_import`.

A run moves checking → previewed → queued → running → done / rejected / failed; each step takes
the run's row lock and checks the state it expects, so a retried confirmation or a task run twice
writes nothing twice.
"""

from __future__ import annotations

import hashlib
import io
import logging
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jingmin.audit.services import audit_record
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service, write_steps
from jingmin.ledger.codes import AuditAction, ErrorCode
from jingmin.ledger.excel import ParsedWorkbook, Rejection, WorkbookError, read_workbook, write_report
from jingmin.ledger.importer import ImportResult, ImportRolledBack, import_apply
from jingmin.ledger.models import ImportMode, ImportRun, ImportState
from jingmin.org.models import Unit, User
from jingmin.org.roles import Cap, can
from jingmin.org.scope import Scope

logger = logging.getLogger(__name__)


def _rejections(rejected: list[Rejection]) -> list[dict[str, object]]:
    return [r.as_dict() for r in rejected[: settings.LEDGER_IMPORT_REJECTED_SHOWN]]


@write_steps
def import_upload(*, actor: User, upload: UploadedFile, mode: str) -> ImportRun:
    """Keep the uploaded workbook and queue its check. The file is refused at once when it is
    empty, too large or not named .xlsx; everything else is the check's business."""
    if not can(actor, Cap.LEDGER_IMPORT):
        raise PermissionDenied
    if mode not in ImportMode.values:
        raise ServiceError(_("Choose how rejected rows are handled."), field="mode")
    name = (upload.name or "").strip()
    size = upload.size or 0
    if size == 0:
        raise ServiceError(_("The file is empty."), code=CommonError.EMPTY, field="file")
    if size > settings.LEDGER_IMPORT_MAX_BYTES:
        raise ServiceError(
            _(
                "The file is %(size)d MB; at most %(limit)d MB can be imported at once. Split it into smaller files."
            )
            % {"size": size // (1024 * 1024) + 1, "limit": settings.LEDGER_IMPORT_MAX_BYTES // (1024 * 1024)},
            code=CommonError.TOO_LARGE,
            field="file",
        )
    if not name.lower().endswith(".xlsx"):
        raise ServiceError(
            _("Upload an Excel workbook (.xlsx); older .xls files must be saved as .xlsx first."),
            code=ErrorCode.NOT_XLSX,
            field="file",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        run = ImportRun(
            original_name=name[:200],
            sha256=digest.hexdigest(),
            size=size,
            mode=mode,
            state=ImportState.CHECKING,
            phase="check",
            unit=actor.unit,
            unit_path=actor.unit.path,
            created_by=actor,
        )
        run.file.save(name, upload, save=False)
        run.save()
        audit_record(actor=actor, action=AuditAction.IMPORT_UPLOAD, target=run, detail={"sha256": run.sha256})
        from jingmin.ledger.tasks import ledger_import_check

        transaction.on_commit(partial(ledger_import_check.enqueue, run_id=run.pk))
    return run


@contextmanager
def _local_copy(run: ImportRun) -> Iterator[Path]:
    """The stored workbook as a local file (openpyxl reads a path; storage may be remote)."""
    with tempfile.TemporaryDirectory() as tmp, run.file.open("rb") as source:
        path = Path(tmp) / "workbook.xlsx"
        with path.open("wb") as target:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                target.write(chunk)
        yield path


def _progress(run_id: int) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ImportRun.objects.filter(pk=run_id).update(rows_done=done, rows_total=max(total, done))

    return report


@write_steps
def import_check(*, run_id: int) -> ImportRun | None:
    """The task body: read and check every row, and keep what the preview shows."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.state != ImportState.CHECKING:
            return run
    try:
        with _local_copy(run) as path:
            parsed = read_workbook(path, unit=run.unit, progress=_progress(run.pk))
    except WorkbookError as error:
        _finish(run, ImportState.FAILED, error=error.message)
        return run
    run.refresh_from_db()
    run.counts = {"check": parsed.counts()}
    run.rows_total, run.rows_done = parsed.rows_total, parsed.rows_total
    run.rejected, run.rejected_total = _rejections(parsed.rejected), len(parsed.rejected)
    run.state, run.phase = ImportState.PREVIEWED, ""
    _save_report(run, parsed, None)
    run.save()
    return run


@write_service
def import_confirm(*, actor: User, run_id: int) -> ImportRun:
    """The chief confirms a checked file: queue the writing. A second confirmation is a no-op."""
    if not can(actor, Cap.LEDGER_IMPORT):
        raise PermissionDenied
    with transaction.atomic():
        run = (
            Scope.of(actor)
            .filter(ImportRun.objects.select_for_update(), "unit_path")
            .filter(pk=run_id)
            .first()
        )
        if run is None:
            raise Http404
        if run.state != ImportState.PREVIEWED:
            return run
        if run.mode == ImportMode.ALL_OR_NOTHING and run.rejected_total:
            raise ServiceError(
                _(
                    "Rows were rejected, and this import is all or nothing: correct them and upload the file "
                    "again, or upload it to import only the valid rows."
                ),
                code=ErrorCode.ROWS_REJECTED,
            )
        run.state, run.phase, run.rows_done = ImportState.QUEUED, "write", 0
        run.save(update_fields=["state", "phase", "rows_done"])
        audit_record(actor=actor, action=AuditAction.IMPORT_CONFIRM, target=run)
        from jingmin.ledger.tasks import ledger_import_write

        transaction.on_commit(partial(ledger_import_write.enqueue, run_id=run.pk))
    return run


@write_steps
def import_write(*, run_id: int) -> ImportRun | None:
    """The task body: read the file again and write its valid rows."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.state != ImportState.QUEUED:
            return run
        run.state = ImportState.RUNNING
        run.save(update_fields=["state"])
    try:
        with _local_copy(run) as path:
            parsed = read_workbook(path, unit=run.unit)
        outcome = _write(run, parsed, actor=run.created_by)
    except WorkbookError as error:
        _finish(run, ImportState.FAILED, error=error.message)
        return run
    except Exception:
        logger.exception("ledger import %s failed", run_id)
        _finish(run, ImportState.FAILED, error=_("The import failed; nothing was written. Try again later."))
        raise
    return outcome.run


@dataclass
class Outcome:
    run: ImportRun
    parsed: ParsedWorkbook
    result: ImportResult | None


class _DryRun(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__("dry run")
        self.outcome = outcome


def _write(run: ImportRun, parsed: ParsedWorkbook, *, actor: User | None) -> Outcome:
    """Write the rows (or, all-or-nothing with rejected rows, nothing) and record the outcome."""
    rejected = list(parsed.rejected)
    result: ImportResult | None = None
    state = ImportState.DONE
    if run.mode == ImportMode.ALL_OR_NOTHING and rejected:
        state = ImportState.REJECTED
    else:

        def progress(done: int) -> None:
            ImportRun.objects.filter(pk=run.pk).update(rows_done=done)

        try:
            result = import_apply(
                parsed, unit=run.unit, actor=actor, run=run, mode=run.mode, progress=progress
            )
        except ImportRolledBack as rolled_back:
            result, state = rolled_back.result, ImportState.REJECTED
            result.counts = {}
        rejected += result.rejected
    run.refresh_from_db()
    run.counts = {"check": parsed.counts(), "written": result.counts if result else {}}
    run.rows_done = parsed.valid_total if state == ImportState.DONE else 0
    run.rejected, run.rejected_total = _rejections(rejected), len(rejected)
    parsed_with_all = ParsedWorkbook(rejected=rejected, sheets=parsed.sheets)
    _save_report(run, parsed_with_all, result)
    _finish(run, state)
    return Outcome(run=run, parsed=parsed, result=result)


def _save_report(run: ImportRun, parsed: ParsedWorkbook, result: ImportResult | None) -> None:
    if run.pk is None or not run.file:
        return
    buffer = io.BytesIO()
    write_report(buffer, counts=_report_counts(run, parsed, result), rejected=parsed.rejected)
    if run.report:
        run.report.delete(save=False)
    run.report.save(f"report-{run.pk}.xlsx", ContentFile(buffer.getvalue()), save=False)


def _report_counts(run: ImportRun, parsed: ParsedWorkbook, result: ImportResult | None) -> dict[str, object]:
    counts: dict[str, object] = dict(run.counts.get("check", {}))
    if result is not None:
        counts.update(result.counts)
    return counts


def _finish(run: ImportRun, state: str, *, error: str = "") -> None:
    run.state, run.phase, run.error, run.finished_at = state, "", error, timezone.now()
    run.save()


@write_steps
def import_file(
    *,
    path: Path,
    unit: Unit,
    mode: str,
    actor: User | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Check and write a workbook in one go (the command line). A file refused whole raises
    WorkbookError and records nothing."""
    parsed = read_workbook(path, unit=unit, progress=progress)
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)

    def record_and_write() -> Outcome:
        run = ImportRun.objects.create(
            original_name=path.name[:200],
            sha256=digest.hexdigest(),
            size=path.stat().st_size,
            mode=mode,
            state=ImportState.RUNNING,
            phase="write",
            unit=unit,
            unit_path=unit.path,
            created_by=actor,
            dry_run=dry_run,
            rows_total=parsed.rows_total,
        )
        return _write(run, parsed, actor=actor)

    if not dry_run:
        return record_and_write()
    # A dry run writes everything, counts it, and rolls it all back: the figures are exact and
    # nothing is left, not even the run's own row.
    try:
        with transaction.atomic():
            outcome = record_and_write()
            raise _DryRun(outcome)
    except _DryRun as rolled_back:
        return rolled_back.outcome
