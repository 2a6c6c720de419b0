"""How a row's hash is computed. One function, used when writing and when verifying."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_at(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    unit_id: int | None,
    unit_path: str,
    action: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    detail: Any,
    ip: str,
) -> str:
    body = json.dumps(
        [
            seq,
            canonical_at(at),
            actor_id,
            actor_username,
            unit_id,
            unit_path,
            action,
            target_type,
            target_id,
            target_repr,
            detail,
            ip,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()
