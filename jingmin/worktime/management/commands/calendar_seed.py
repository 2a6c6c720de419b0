from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingmin.core.errors import ServiceError
from jingmin.worktime.services import calendar_seed


class Command(BaseCommand):
    help = (
        "Load the holiday schedule from the chinese-calendar package, for every year it knows or one; "
        "years entered by hand are left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="load only this year")
        parser.add_argument(
            "--operator", default="calendar_seed", help="who runs the load, recorded in the audit log"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = [options["year"]] if options["year"] is not None else None
        try:
            outcomes = calendar_seed(years=years, operator=options["operator"])
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        for outcome in outcomes:
            self.stdout.write(f"{outcome.year}: {outcome.result}")
