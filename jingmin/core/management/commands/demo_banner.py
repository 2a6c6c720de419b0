from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from jingmin.org.demo import NAMED_ACCOUNTS
from jingmin.org.roles import Role, requires_second_factor


class Command(BaseCommand):
    help = "Print the demo's address and sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **options: Any) -> None:
        lines = [
            "",
            "Jingmin demo is starting at " + options["url"],
            "",
            f"Demo sign-ins (password for all: {settings.DEMO_PASSWORD}):",
        ]
        for username, role, _where, _name in NAMED_ACCOUNTS:
            note = "  (sets up a TOTP authenticator at first sign-in)" if requires_second_factor(role) else ""
            lines.append(f"  {username:<10} {Role(role).label}{note}")
        lines.append("")
        self.stdout.write("\n".join(str(line) for line in lines))
