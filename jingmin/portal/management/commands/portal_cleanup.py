from typing import Any

from django.core.management.base import BaseCommand

from jingmin.portal.services import purge_expired


class Command(BaseCommand):
    help = (
        "Delete the portal's rate counters of past windows and SMS codes that expired a day ago "
        "(both hold hashes of addresses and phone numbers). Run it daily, e.g. from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counters, codes = purge_expired()
        self.stdout.write(f"deleted {counters} rate counters and {codes} verification codes")
