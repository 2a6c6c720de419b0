"""Health probes for the load balancer and the supervisor.

- `/healthz`: the process answers. No database, no cache: a node whose database is down is still
  alive, and restarting it would not help.
- `/readyz`: the node can serve: the database answers, every migration of this code is applied,
  a tasks worker ran the heartbeat task recently (`WORKER_HEARTBEAT_STALE_SECONDS`), and the shared
  cache answers when one is configured. 503 otherwise, naming the failing check.

Both are public and say nothing beyond "ok" or "failing" per check: no versions, host names or
error text (those go to the log). They are answered by a middleware placed first, so a probe by a
node's address over plain HTTP is neither refused for its host nor redirected to HTTPS, and costs
no session.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

HEALTHZ = "/healthz"
READYZ = "/readyz"
OK = "ok"
FAILING = "failing"

# Backends that run a task where it is queued, so there is no worker to wait for.
_INLINE_TASK_BACKENDS = {"django_tasks.backends.immediate.ImmediateBackend"}

# Once every migration is applied it stays so for the life of this process (new code means a new
# process), so the migration graph is loaded until then and not after.
_migrations_applied = False


def _database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK


def _migrations() -> str:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return FAILING
        _migrations_applied = True
    return OK


def _worker() -> str:
    if settings.TASKS["default"]["BACKEND"] in _INLINE_TASK_BACKENDS:
        return OK
    from jingmin.core.models import WorkerHeartbeat

    since = timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS)
    return OK if WorkerHeartbeat.objects.filter(seen_at__gte=since).exists() else FAILING


def _cache() -> str:
    from django.core.cache import cache

    key = f"jingmin:readyz:{uuid.uuid4().hex}"
    cache.set(key, 1, 10)
    answered = cache.get(key) == 1
    cache.delete(key)
    return OK if answered else FAILING


def readiness() -> dict[str, str]:
    """Each check's result; a check that raises is failing (and logged with its reason)."""
    checks: dict[str, Callable[[], str]] = {
        "database": _database,
        "migrations": _migrations,
        "worker": _worker,
    }
    if settings.REDIS_URL:
        checks["cache"] = _cache
    results: dict[str, str] = {}
    for name, check in checks.items():
        if name in {"migrations", "worker"} and results.get("database") != OK:
            results[name] = FAILING
            continue
        try:
            results[name] = check()
        except Exception:
            logger.warning("readiness check %s failed", name, exc_info=True)
            results[name] = FAILING
    return results


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return _no_store(JsonResponse({"status": OK}))


@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    ready = all(result == OK for result in checks.values())
    body = {"status": "ready" if ready else "not ready", "checks": checks}
    return _no_store(JsonResponse(body, status=200 if ready else 503))


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"}:
            if request.path_info == HEALTHZ:
                return healthz(request)
            if request.path_info == READYZ:
                return readyz(request)
        return self.get_response(request)
