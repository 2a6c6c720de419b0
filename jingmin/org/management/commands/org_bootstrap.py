import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingmin.core.errors import ServiceError
from jingmin.core.writes import composing
from jingmin.org.models import Unit, UnitKind
from jingmin.org.roles import ADMIN_ROLES
from jingmin.org.services import intake_desk_ensure, staff_create, unit_create


class Command(BaseCommand):
    help = (
        "On a new installation: create the bureau (if there is none yet) and an administrator account "
        "at it. Run it once for each of the three administrators; they set up their second factor at "
        "first sign-in and must change the password given here. It also makes the bureau's command "
        "centre (指挥中心), the intake desk for appeals that arrive without a station; give it clerks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bureau", help="name of the bureau, when the database has none yet")
        parser.add_argument("--code", help="unit code of the bureau, when the database has none yet")
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument(
            "--password-env", help="read the temporary password from this environment variable"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
        else:
            password = getpass.getpass("Temporary password: ")
        try:
            with composing():
                bureau = Unit.objects.filter(kind=UnitKind.BUREAU, parent=None).first()
                if bureau is None:
                    if not options["bureau"] or not options["code"]:
                        raise CommandError("the database has no bureau yet: give --bureau and --code")
                    bureau = unit_create(
                        actor=None,
                        parent=None,
                        kind=UnitKind.BUREAU,
                        name=options["bureau"],
                        code=options["code"],
                    )
                desk = intake_desk_ensure(bureau=bureau)
                user = staff_create(
                    actor=None,
                    username=options["username"],
                    full_name=options["full_name"],
                    unit=bureau,
                    role=options["role"],
                    password=password,
                )
        except ServiceError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from exc
        self.stdout.write(f"created {user.username} ({user.role}) at {bureau.name}")
        self.stdout.write(f"intake desk: {desk.name} ({desk.code}); give it at least one clerk")
