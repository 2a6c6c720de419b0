"""The nightly sweep of early warning: `manage.py warnings_sweep [--since-days N]`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from jingmin.warnings.services import signals_sweep


class Command(BaseCommand):
    help = "Apply every early-warning rule to everything in its window (the nightly sweep)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since-days",
            type=int,
            default=2,
            help="Read texts for risk words written in this many days (default 2: the last night's and a margin).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        result = signals_sweep(now=now, since=now - timedelta(days=options["since_days"]))
        summary = ", ".join(f"{k} {v}" for k, v in sorted(result.outcomes.items())) or "nothing new"
        self.stdout.write(f"{result.findings} findings: {summary}")
