"""What the benchmarks share: the environment Django reads, and their PostgreSQL database.

Each script guards its own database's name before it creates or drops it (see its docstring):
a benchmark never writes into a database it was not meant for.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def configure(url: str) -> None:
    """The environment Django reads, before it reads it."""
    os.environ["DATABASE_URL"] = url
    # DEBUG off: with DEBUG on, Django keeps every query in memory and times it twice.
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-deployment-0123456789abcdef")
    os.environ.setdefault("JINGMIN_FIELD_KEYS", "YmVuY2gtb25seS1maWVsZC1rZXktamluZ21pbi0wMDA=")
    os.environ.setdefault("JINGMIN_LOOKUP_KEY", "bench-only-lookup-key")
    os.environ.setdefault("JINGMIN_HTTPS", "0")
    os.environ.setdefault("JINGMIN_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def server_url(url: str) -> str:
    """The same server's maintenance database, from which another is created or dropped."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def postgres_database(url: str, *, fresh: bool) -> None:
    """Create the URL's database if it is missing; with `fresh`, drop it first."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    with psycopg.connect(server_url(url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
