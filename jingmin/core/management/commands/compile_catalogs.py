from typing import Any

from django.core.management.base import BaseCommand

from jingmin.core.catalogs import catalog_paths, compile_catalog


class Command(BaseCommand):
    help = "Compile the translation catalogs (.po → .mo) without needing GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in catalog_paths():
            self.stdout.write(f"compiled {compile_catalog(po_path)}")
