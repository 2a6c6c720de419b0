from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from jingmin.org.demo import SIZES, seed_org
from jingmin.org.models import Unit


class Command(BaseCommand):
    help = "Load a realistic demo bureau (deterministic for a given seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing, successfully, when the database already holds units",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Unit.objects.exists():
            if options["if_empty"]:
                self.stdout.write("demo data already loaded; nothing to do")
                return
            raise CommandError(
                "the database already holds units; the demo is loaded only into an empty database"
            )
        with transaction.atomic():
            org = seed_org(seed=options["seed"], size=options["size"])
        self.stdout.write(
            f"demo bureau {org.bureau.name}: {len(org.stations)} stations, {len(org.districts)} police districts, "
            f"{len(org.departments)} departments"
        )
