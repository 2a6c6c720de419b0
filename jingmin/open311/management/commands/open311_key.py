from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone

from jingmin.core.errors import ServiceError
from jingmin.open311.models import Partner
from jingmin.open311.services import partner_create, partner_revoke
from jingmin.org.models import Unit

OPERATOR = "manage.py open311_key"


class Command(BaseCommand):
    help = (
        "Open311 partners' API keys. `create PARTNER [--unit CODE] [--contact TEXT]` issues a key and "
        "prints it as the last line (it is shown only then); `revoke PARTNER` refuses the key from now "
        "on; `list` shows every partner without its key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a key to a new partner")
        create.add_argument("partner", help="the partner's name")
        create.add_argument(
            "--unit", help="code of the unit that receives its appeals (default: the bureau at the root)"
        )
        create.add_argument("--contact", default="", help="who runs the partner system")
        revoke = sub.add_parser("revoke", help="revoke a partner's key")
        revoke.add_argument("partner", help="the partner's name")
        sub.add_parser("list", help="list the partners")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            match options["action"]:
                case "create":
                    self._create(options["partner"], options["unit"], options["contact"])
                case "revoke":
                    partner = Partner.objects.filter(name=options["partner"].strip()).first()
                    if partner is None:
                        raise CommandError(f"no partner is named {options['partner']!r}")
                    partner_revoke(actor=None, partner=partner, operator=OPERATOR)
                    self.stdout.write(f"revoked the key of {partner.name} (began {partner.key_prefix})")
                case "list":
                    self._list()
        except ServiceError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from exc

    def _create(self, name: str, unit_code: str | None, contact: str) -> None:
        if unit_code:
            unit = Unit.objects.filter(code=unit_code).first()
            if unit is None:
                raise CommandError(f"no unit has the code {unit_code!r}")
        else:
            unit = Unit.objects.filter(parent__isnull=True).first()
            if unit is None:
                raise CommandError("the organisation is empty: run org_bootstrap first")
        partner, key = partner_create(
            actor=None, name=name, intake_unit=unit, contact=contact, operator=OPERATOR
        )
        self.stdout.write(f"issued a key to {partner.name}; its appeals arrive at {unit.name} ({unit.code})")
        self.stdout.write("the key is shown only now; hand it over safely:")
        # The last line is the key alone, so that a script can take it with `tail -n 1`.
        self.stdout.write(key)

    def _list(self) -> None:
        rows = Partner.objects.select_related("intake_unit").annotate(n=Count("requests")).order_by("name")
        if not rows:
            self.stdout.write("no partners")
            return
        for p in rows:
            status = (
                "active"
                if p.is_active or p.revoked_at is None
                else f"revoked {timezone.localtime(p.revoked_at):%Y-%m-%d %H:%M}"
            )
            used = f"{timezone.localtime(p.last_used_at):%Y-%m-%d %H:%M}" if p.last_used_at else "never"
            self.stdout.write(
                f"{p.name}\t{p.key_prefix}…\t{p.intake_unit.code}\t{status}\tlast used {used}\t{p.n} appeals"
            )
