"""Build or check the indicators' roll-ups (`jingmin/metrics/rollup.py`).

`--rebuild` counts them afresh from the records (as a settings change does; after loading data
written outside the services, such as a benchmark's generated city). `--verify [--from --to]`
computes every indicator of every unit for each calendar month of the range both ways — through
the roll-ups and afresh from the records — prints each difference and exits non-zero on one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingmin.metrics import rollup
from jingmin.metrics.periods import months_back, today
from jingmin.metrics.registry import Period


class Command(BaseCommand):
    help = "Rebuild the indicators' roll-ups, or compare them with a fresh count from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="count the roll-ups afresh")
        parser.add_argument("--verify", action="store_true", help="compare them with the records")
        parser.add_argument("--from", dest="start", default="", help="first month checked, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", default="", help="last month checked, YYYY-MM-DD")
        parser.add_argument("--keys", default="", help="indicators checked, comma-separated (all)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["rebuild"] or options["verify"]):
            raise CommandError("Say --rebuild or --verify (or both).")
        if options["rebuild"]:
            seconds = rollup.rebuild()
            self.stdout.write(f"roll-ups rebuilt in {seconds:.1f} s")
        if options["verify"]:
            if not rollup.ready():
                raise CommandError("The roll-ups are not built: run --rebuild first.")
            try:
                end = dt.date.fromisoformat(options["end"]) if options["end"] else today()
                start = dt.date.fromisoformat(options["start"]) if options["start"] else None
            except ValueError:
                raise CommandError("Give --from and --to as YYYY-MM-DD.") from None
            months = [m for m in months_back(end, 120) if start is None or m.end >= start]
            if start is None:
                months = months[-12:]
            keys = [k for k in options["keys"].split(",") if k] or None
            found = 0
            for period in months:
                for line in rollup.differences([Period(period.start, period.end)], keys):
                    found += 1
                    self.stdout.write(line)
                if options["verbosity"] > 1:
                    self.stdout.write(f"{period.start:%Y-%m} checked")
            if found:
                raise CommandError(f"{found} figures differ between the roll-ups and the records.")
            self.stdout.write(f"{len(months)} months checked: the roll-ups match the records")
