"""Where the examples come from: the bureau's own concluded appeals, or a CSV file.

A concluded appeal (one with a result) teaches its category, and, when it had been dispatched,
the unit that concluded it: the unit it ended with after any transfer or return is the one that
should have had it first. Only active categories and units are learnt, so nothing retired is ever
suggested.

The unit is learnt relative to the appeal where it can be: "its own police district" and "the
unit that took it in" are two labels, whatever district or station that is, and only units that
are neither (a department, a unit elsewhere) are labels of their own. A city has hundreds of
districts; one label per district would need as many examples of each and a classifier as large,
while the question the text answers is mostly "the district's community officer, or the traffic
police, or…". Which district it is comes from the form.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from jingmin.appeals.models import Appeal, Category
from jingmin.core.errors import ServiceError
from jingmin.org.models import UnitKind
from jingmin.routing.codes import ErrorCode
from jingmin.routing.features import appeal_text, with_meta
from jingmin.routing.learning import Dataset
from jingmin.routing.models import Source

# The unit labels that stand for the appeal's own police district and its intake unit.
OWN_DISTRICT = "=district"
INTAKE_UNIT = "=intake"


@dataclass(frozen=True)
class TrainingSet:
    source: str
    # Neutral text the pages show beside the source: a date range or a file name and columns.
    description: str
    category: Dataset
    unit: Dataset | None


def from_appeals(*, limit: int | None = None) -> TrainingSet:
    """The newest concluded appeals, at most ROUTING_TRAIN_MAX_APPEALS of them."""
    limit = limit or settings.ROUTING_TRAIN_MAX_APPEALS
    rows = list(
        Appeal.objects.exclude(result="")
        .filter(category__is_active=True, category__parent__isnull=False)
        .order_by("-received_at", "-id")
        .values_list(
            "title",
            "content",
            "address",
            "received_at",
            "category__code",
            "dispatcher_unit_id",
            "unit_id",
            "unit__code",
            "unit__kind",
            "unit__is_active",
            "district_id",
            "intake_unit_id",
            "intake_unit__code",
        )[:limit]
    )
    texts, categories, unit_texts, units = [], [], [], []
    for (
        title,
        content,
        address,
        _at,
        category,
        dispatcher,
        unit_id,
        unit,
        kind,
        active,
        district_id,
        intake_id,
        intake,
    ) in rows:
        text = appeal_text(title, content)
        texts.append(text)
        categories.append(category)
        if dispatcher is None or not active or kind == UnitKind.BUREAU:
            continue
        if unit_id == district_id:
            label = OWN_DISTRICT
        elif unit_id == intake_id:
            label = INTAKE_UNIT
        elif kind == UnitKind.DISTRICT:
            # Another district than the one on the form, or one the form did not name: which one
            # is a matter of the map, not of the words, so the words cannot teach it.
            continue
        else:
            label = unit
        unit_texts.append(
            with_meta(text, address=address, has_district=district_id is not None, intake=intake)
        )
        units.append(label)
    if rows:
        first = timezone.localtime(rows[-1][3]).date()
        last = timezone.localtime(rows[0][3]).date()
        description = f"{first.isoformat()} – {last.isoformat()}"
    else:
        description = "–"
    unit_data = Dataset.of(unit_texts, units)
    return TrainingSet(
        source=Source.APPEALS,
        description=description,
        category=Dataset.of(texts, categories),
        unit=unit_data if unit_data.trainable else None,
    )


def read_csv(
    path: Path, *, text_column: str = "text", label_column: str = "label"
) -> tuple[list[str], list[str]]:
    """Texts and labels of a CSV file with a header row (UTF-8, with or without a BOM)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            for column in (text_column, label_column):
                if column not in columns:
                    raise ServiceError(
                        f"{path.name} has no column {column!r} (its columns: {', '.join(columns) or 'none'})",
                        code=ErrorCode.CSV_COLUMN,
                        field="csv",
                    )
            texts, labels = [], []
            for row in reader:
                text, label = (row[text_column] or "").strip(), (row[label_column] or "").strip()
                if text and label:
                    texts.append(text)
                    labels.append(label)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ServiceError(
            f"{path} cannot be read as a UTF-8 CSV file: {exc}", code=ErrorCode.CSV, field="csv"
        ) from exc
    return texts, labels


def category_codes(labels: list[str]) -> tuple[list[str], set[str]]:
    """Labels as category codes: a label that is a leaf category's code or name becomes its code,
    any other stays as it is (and is never suggested: no category carries it). Returns the labels
    and the set of those that name no category."""
    by_name: dict[str, str] = {}
    codes: set[str] = set()
    for code, name in Category.objects.filter(parent__isnull=False).values_list("code", "name"):
        codes.add(code)
        by_name.setdefault(name, code)
    out = [label if label in codes else by_name.get(label, label) for label in labels]
    return out, {label for label in out if label not in codes}


def from_csv(
    path: Path, *, text_column: str = "text", label_column: str = "label"
) -> tuple[TrainingSet, set[str]]:
    texts, labels = read_csv(path, text_column=text_column, label_column=label_column)
    codes, unknown = category_codes(labels)
    training = TrainingSet(
        source=Source.CSV,
        description=f"{path.name} ({text_column}, {label_column})"[:300],
        category=Dataset.of(texts, codes),
        unit=None,
    )
    return training, unknown
