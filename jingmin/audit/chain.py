"""How a row's hash is computed. One function, used when sealing and when verifying."""

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


def entry_hash(entry: Any, *, seq: int, prev_hash: str) -> str:
    """The hash of a stored row (an `AuditEntry`) at place `seq` after `prev_hash`: what the sealer
    writes and the verifier recomputes, from the row as the database holds it."""
    return row_hash(
        prev_hash=prev_hash,
        seq=seq,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_username=entry.actor_username,
        unit_id=entry.unit_id,
        unit_path=entry.unit_path,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        target_repr=entry.target_repr,
        detail=entry.detail,
        ip=entry.ip,
    )
