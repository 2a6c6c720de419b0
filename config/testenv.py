"""pytest plugin: the environment tests run in, set before Django reads its settings."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-with-enough-length-and-entropy-0123456789")
os.environ.setdefault("JINGMIN_FIELD_KEYS", "dGVzdC1vbmx5LWZpZWxkLWtleS1qaW5nbWluLTAwMDA=")
os.environ.setdefault("JINGMIN_LOOKUP_KEY", "test-only-lookup-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The test server speaks plain HTTP on loopback.
os.environ.setdefault("JINGMIN_HTTPS", "0")
os.environ.setdefault("JINGMIN_STATIC_MANIFEST", "0")
# Playwright's synchronous API runs an event loop in the test thread; Django's ORM calls from that
# thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
# Services of the machine the tests may use: a Redis database of their own (keys and queues carry
# a random prefix per test, so parallel runs do not meet) and the streaming replica that
# `scripts/pg_replica.sh start` runs beside the local PostgreSQL.
os.environ.setdefault("JINGMIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("JINGMIN_TEST_REPLICA_URL", "postgres://postgres@127.0.0.1:5433/")
