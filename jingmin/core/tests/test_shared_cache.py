"""Several web nodes share one Redis through Django's own Redis cache: the public statistics one
node computed are what the others serve, and a session started on one node is known to the next."""

from __future__ import annotations

import pytest
from asgiref.local import Local
from django.core.cache import caches

from conftest import signed_in
from jingmin.portal import statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings, redis_url, redis_prefix):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": redis_prefix,
        }
    }
    return redis_prefix


def _in_redis(redis_url: str, prefix: str) -> list[bytes]:
    """The keys this test wrote, read from Redis itself (not through Django): what any process sees."""
    import redis

    return list(redis.Redis.from_url(redis_url).scan_iter(f"{prefix}:*"))


def _another_node() -> None:
    """Forget this process's cache connections, as a second web node has its own."""
    caches._connections = Local()  # type: ignore[attr-defined]


def test_public_statistics_computed_on_one_node_are_served_by_another(redis_cache, redis_url, monkeypatch):
    first = statistics.public_statistics()
    assert any(b"portal:stats" in key for key in _in_redis(redis_url, redis_cache))
    _another_node()

    def must_not_compute(period):
        raise AssertionError("the second node computed the figures again")

    monkeypatch.setattr(statistics, "compute", must_not_compute)
    second = statistics.public_statistics()
    assert second == first
    assert type(caches["default"]).__name__ == "RedisCache"


def test_a_session_started_on_one_node_is_known_to_the_next(redis_cache, redis_url, settings, persona):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    client = signed_in(persona.clara)
    assert any(str(client.session.session_key).encode() in key for key in _in_redis(redis_url, redis_cache))
    _another_node()
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user == persona.clara
