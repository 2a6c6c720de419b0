"""The translation catalogs: compiling them without GNU gettext, and checking they are complete."""

from __future__ import annotations

import re
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


# Chinese text takes full-width punctuation (结果：已解决). A half-width mark touching a Chinese
# character is a slip; placeholders (%(name)s) are set aside first, so that their brackets and
# what surrounds them are not taken for text.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_HALF_WIDTH = re.compile(rf"(?<=[{_CJK}])\s*[:,;()?!]|[:,;()?!]\s*(?=[{_CJK}])")
_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]")


def half_width_punctuation(text: str) -> str:
    """The first half-width punctuation mark next to a Chinese character in `text`, or ''."""
    found = _HALF_WIDTH.search(_PLACEHOLDER.sub("X", text))
    return found.group().strip() if found else ""


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
        else:
            texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            mark = next((m for m in map(half_width_punctuation, texts) if m), "")
            if mark and po_path.parent.parent.name.startswith("zh"):
                problems.append(
                    f"half-width {mark!r} beside Chinese, use full-width: {entry.msgid!r} ({where})"
                )
    for msgctxt, msgid in sorted(expected_msgids - present if expected_msgids else set(), key=str):
        problems.append(f"missing from the catalog: {msgid!r}" + (f" [{msgctxt}]" if msgctxt else ""))
    return problems
