"""The trained classifiers as stored bytes, and the ones this process has loaded.

A pickle runs code when it is loaded, so a payload is unpickled only after its keyed MAC (made
with SECRET_KEY when our own training stored it) matches: bytes written into the table by anyone
else are refused, never loaded. Each process keeps the active version in memory and asks the
database which version is active on each use (one indexed row), loading again when it changed.
"""

from __future__ import annotations

import logging
import pickle
import threading
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.crypto import constant_time_compare, salted_hmac

from jingmin.routing.learning import Router
from jingmin.routing.models import RoutingModel

if TYPE_CHECKING:
    from jingmin.routing.inference import Compiled

logger = logging.getLogger(__name__)

FORMAT = 1
_MAC_SALT = "jingmin.routing.model_store"


class ModelUnavailable(Exception):
    """A stored model that cannot be used: a wrong MAC, or bytes this code cannot read."""


def payload_mac(payload: bytes) -> str:
    return salted_hmac(_MAC_SALT, payload, algorithm="sha256").hexdigest()


def dump(router: Router) -> tuple[bytes, str]:
    raw = pickle.dumps({"format": FORMAT, "router": router}, protocol=pickle.HIGHEST_PROTOCOL)
    payload = zlib.compress(raw, 6)
    return payload, payload_mac(payload)


def load(payload: bytes, mac: str) -> Router:
    payload = bytes(payload)
    if not mac or not constant_time_compare(payload_mac(payload), mac):
        raise ModelUnavailable("the stored model's MAC does not match: it was not stored by this deployment")
    try:
        data = pickle.loads(zlib.decompress(payload))  # noqa: S301 - MAC checked above
    except Exception as exc:  # an older format, a renamed function it refers to...
        raise ModelUnavailable(f"the stored model cannot be read: {exc}") from exc
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("router"), Router)
    ):
        raise ModelUnavailable("the stored model has an unknown format")
    return data["router"]


@dataclass(frozen=True)
class Loaded:
    model_id: int
    version: int
    router: Router
    # The router's numbers ready for one text at a time (what the intake form asks for).
    compiled: Compiled


_loaded: Loaded | None = None
_failed: set[int] = set()
_lock = threading.Lock()


def active() -> Loaded | None:
    """The active version's classifiers, loaded once per process and version."""
    global _loaded
    row = RoutingModel.objects.filter(is_active=True).values_list("pk", "version").first()
    if row is None:
        return None
    pk, version = row
    current = _loaded
    if current is not None and current.model_id == pk:
        return current
    if pk in _failed:
        return None
    with _lock:
        current = _loaded
        if current is not None and current.model_id == pk:
            return current
        stored = RoutingModel.objects.filter(pk=pk).values_list("payload", "payload_mac").first()
        if stored is None:
            return None
        from jingmin.routing.inference import Compiled

        try:
            router = load(stored[0], stored[1])
        except ModelUnavailable as exc:
            # Said once per process: suggestions stay off rather than failing the intake form.
            _failed.add(pk)
            logger.error("routing model v%s not loaded: %s", version, exc)
            return None
        _loaded = Loaded(model_id=pk, version=version, router=router, compiled=Compiled(router))
        return _loaded


def forget() -> None:
    """Drop what this process loaded (tests; a process that wants to re-read everything)."""
    global _loaded
    with _lock:
        _loaded = None
        _failed.clear()
