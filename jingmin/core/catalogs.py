"""The translation catalogs: compiling them without GNU gettext, and checking they are complete."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings

LANGUAGE_DIRS = ["zh_Hans"]
MAKEMESSAGES_IGNORE = ["node_modules/*", "var/*", "bench/*", "scripts/*", "docs/*"]


def catalog_paths() -> list[Path]:
    root = Path(settings.LOCALE_PATHS[0])
    return [root / lang / "LC_MESSAGES" / "django.po" for lang in LANGUAGE_DIRS]


def compile_catalog(po_path: Path) -> Path:
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path


def catalog_problems(po_path: Path, expected_msgids: set[tuple[str | None, str]] | None = None) -> list[str]:
    """Untranslated, fuzzy or missing entries, each as a line a developer can act on."""
    catalog = polib.pofile(str(po_path))
    problems: list[str] = []
    present = set()
    for entry in catalog:
        if entry.obsolete:
            continue
        present.add((entry.msgctxt, entry.msgid))
        where = ", ".join(f"{f}:{n}" for f, n in entry.occurrences[:2])
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r} ({where})")
        elif not entry.translated():
            problems.append(f"untranslated: {entry.msgid!r} ({where})")
    for msgctxt, msgid in sorted(expected_msgids - present if expected_msgids else set(), key=str):
        problems.append(f"missing from the catalog: {msgid!r}" + (f" [{msgctxt}]" if msgctxt else ""))
    return problems
