from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingmin.ledger.excel import WorkbookError, write_report
from jingmin.ledger.imports import import_file
from jingmin.ledger.models import ImportMode, ImportState
from jingmin.org.models import Unit

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import a legacy ledger workbook made from the template (manage.py ledger_template). Every "
        "rejected row is listed with its sheet, row number, column and reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the workbook (.xlsx)")
        parser.add_argument(
            "--mode",
            choices=ImportMode.values,
            default=ImportMode.ALL_OR_NOTHING,
            help="all-or-nothing (default): any rejected row imports nothing; valid-rows: import the rest",
        )
        parser.add_argument("--report", help="write the report workbook (counts and every rejected row) here")
        parser.add_argument(
            "--unit",
            help="the code of the unit the import is made for: rows of police districts outside it are "
            "rejected (default: the whole bureau)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count everything, then roll it all back"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no file at {path}")
        report = Path(options["report"]) if options["report"] else None
        if report is not None and report.suffix.lower() != ".xlsx":
            raise CommandError("the report is an .xlsx workbook: give a file name ending in .xlsx")
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"], is_active=True).first()
            if unit is None:
                raise CommandError(f"no active unit has the code {options['unit']}")
        else:
            unit = Unit.objects.filter(parent__isnull=True).first()
            if unit is None:
                raise CommandError("the organisation has no units yet")
        started = time.monotonic()
        tty = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if tty:
                sys.stderr.write(f"\rchecked {done} of {total} rows")
                sys.stderr.flush()

        try:
            outcome = import_file(
                path=path, unit=unit, mode=options["mode"], dry_run=options["dry_run"], progress=progress
            )
        except WorkbookError as error:
            if report is not None:
                write_report(report, counts={}, rejected=[], error=error.message)
            raise CommandError(f"{path.name}: {error.message} Nothing was imported.") from None
        if tty:
            sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        run, parsed = outcome.run, outcome.parsed
        rejected = list(parsed.rejected) + (outcome.result.rejected if outcome.result else [])
        self.stdout.write(f"{path.name}: {parsed.rows_total} rows read, for {unit.name}")
        for sheet, figures in parsed.counts().items():
            self.stdout.write(f"  {sheet}: {figures['valid']} valid, {figures['rejected']} rejected")
        for row in rejected[:SHOWN]:
            self.stdout.write(f"  rejected: {row.sheet} row {row.row}, {row.column}: {row.reason}")
        if len(rejected) > SHOWN:
            self.stdout.write(f"  ... and {len(rejected) - SHOWN} more rejected rows (see --report)")
        if report is not None:
            counts: dict[str, Any] = dict(parsed.counts())
            if outcome.result is not None:
                counts.update(outcome.result.counts)
            write_report(report, counts=counts, rejected=rejected)
            self.stdout.write(f"report written to {report}")
        if run.state == ImportState.REJECTED:
            raise CommandError(
                f"{len(rejected)} rows were rejected and the mode is all-or-nothing: nothing was imported"
            )
        written = outcome.result.counts if outcome.result else {}
        for record_type, figures in written.items():
            self.stdout.write(
                f"  {record_type}: {figures['created']} created, {figures['updated']} updated, "
                f"{figures['unchanged']} unchanged"
            )
        rate = parsed.valid_total / elapsed if elapsed > 0 else 0.0
        verb = "checked (dry run, nothing kept)" if options["dry_run"] else "imported"
        self.stdout.write(f"{parsed.valid_total} rows {verb} in {elapsed:.1f} s ({rate:.0f} rows/s)")
