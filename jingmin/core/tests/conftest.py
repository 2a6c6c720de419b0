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
