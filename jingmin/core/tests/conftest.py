"""Fixtures for the tests of the machinery that spans machines: Redis and the read replica."""

from __future__ import annotations

import os
import uuid

import pytest


@pytest.fixture
def redis_url() -> str:
    """The Redis the tests may use; a test is skipped, loudly, only when none answers."""
    import redis

    url = os.environ["JINGMIN_TEST_REDIS_URL"]
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"NO REDIS REACHABLE at {url} ({error}): start redis-server, as .ci/run does")
    return url


@pytest.fixture
def redis_prefix(redis_url):
    """A key prefix of this test's own; its keys are removed afterwards."""
    import redis

    prefix = f"jingmin-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    connection = redis.Redis.from_url(redis_url)
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


@pytest.fixture
def import_through_pages(run_tasks, django_capture_on_commit_callbacks):
    """Import a ledger workbook as a chief does on the import page: upload, the worker's check,
    confirmation, the worker's writing. Returns the finished run."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from jingmin.ledger.models import ImportRun

    def run(client, book, mode):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("ledger:imports"),
                {"file": SimpleUploadedFile("ledger.xlsx", book.read_bytes()), "mode": mode},
            )
        run_tasks()
        imported = ImportRun.objects.get()
        assert imported.state == "previewed", imported.rejected
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("ledger:import_confirm", args=[imported.pk]))
        run_tasks()
        imported.refresh_from_db()
        assert imported.state == "done", imported.error
        return imported

    return run
