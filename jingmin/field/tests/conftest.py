"""The visit tests' hand-made ledger (district A1 of Oliver with nine households, B1 of Olga with
two) and the appeal tests' `register` and `walk`, plus a way to post a record as the phone does."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from jingmin.appeals.tests.conftest import register, walk  # noqa: F401
from jingmin.visits.tests.conftest import record, world  # noqa: F401


def jpeg(width: int = 64, height: int = 48, name: str = "photo-1.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def visit_fields(
    household: int, version: str, *, items: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    """A visit as the phone's queue sends it: the visit form's own field names."""
    rows = items or []
    data: dict[str, Any] = {
        "record": "visit",
        "household": household,
        "household_version": version,
        "kind": "household",
        "visited_at": "",
        "summary": "入户走访，家中一切正常。",
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": 0,
        "follow_ups-TOTAL_FORMS": 0,
        "follow_ups-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"items-{i}-{name}"] = value
    data.update(extra)
    return data


@pytest.fixture
def send() -> Callable[..., Any]:
    """Post one record to the sync endpoint as `client`; a new client id unless one is given."""

    def post(client: Client, fields: dict[str, Any], client_id: str | None = None) -> Any:
        body = {"client_id": client_id or str(uuid.uuid4()), **fields}
        return client.post(reverse("field:sync"), body)

    return post
