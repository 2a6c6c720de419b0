from pathlib import Path
from typing import Any

import polib
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingmin.core.catalogs import LANGUAGE_DIRS, MAKEMESSAGES_IGNORE, catalog_paths, catalog_problems


class Command(BaseCommand):
    help = (
        "Fail when a translatable string in the code is missing from a catalog, or an entry is untranslated "
        "or fuzzy. With --update, write the new strings into the catalogs for translating."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--update", action="store_true", help="keep the catalogs makemessages wrote")

    def handle(self, *args: Any, **options: Any) -> None:
        originals = {path: path.read_bytes() for path in catalog_paths()}
        try:
            # makemessages extracts every msgid from Python and templates and merges them in.
            call_command(
                "makemessages",
                locale=LANGUAGE_DIRS,
                ignore_patterns=MAKEMESSAGES_IGNORE,
                no_obsolete=True,
                verbosity=0,
            )
            extracted = {
                path: {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}
                for path in originals
            }
        finally:
            if not options["update"]:
                for path, content in originals.items():
                    Path(path).write_bytes(content)
        problems = []
        for path in originals:
            problems += [f"{path.parent.parent.name}: {p}" for p in catalog_problems(path, extracted[path])]
        if problems:
            raise CommandError("translation catalog incomplete:\n" + "\n".join(problems))
        self.stdout.write("translation catalogs complete")
