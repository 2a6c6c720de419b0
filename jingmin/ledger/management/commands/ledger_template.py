from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingmin.ledger.excel import SHEETS, write_template


class Command(BaseCommand):
    help = "Write the Excel template for importing legacy ledgers (sheets 地址房屋, 人口, 单位 and 说明)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="where to write the workbook (.xlsx)")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError("the template is an .xlsx workbook: give a file name ending in .xlsx")
        if not out.parent.exists():
            raise CommandError(f"the folder {out.parent} does not exist")
        write_template(out)
        columns = ", ".join(f"{sheet} ({len(cols)} columns)" for sheet, cols in SHEETS.items())
        self.stdout.write(f"template written to {out}: {columns}, and 说明 (notes)")
