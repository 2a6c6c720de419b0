"""Under a production environment `manage.py check --deploy` reports nothing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def production_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JINGMIN_", "DJANGO_", "DATABASE_"))}
    env.update(
        SECRET_KEY="Zr8q-production-like-secret-key-with-enough-randomness-7Hk2PwQx9LmN4vB6",
        ALLOWED_HOSTS="jingmin.example.gov.cn",
        JINGMIN_FIELD_KEYS="cHJvZHVjdGlvbi1saWtlLWZpZWxkLWtleS0zMmJ5dGU=",
        JINGMIN_LOOKUP_KEY="production-like-lookup-key",
    )
    return env


def _check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean():
    result = _check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_on_several_machines():
    """Behind the proxy, with Redis, RQ, a read replica, object storage and JSON logs."""
    env = production_env()
    env.update(
        JINGMIN_BEHIND_PROXY="1",
        JINGMIN_TRUSTED_PROXIES="10.0.0.2",
        JINGMIN_REDIS_URL="redis://cache.internal:6379/0",
        JINGMIN_SESSION_STORE="cached_db",
        JINGMIN_TASKS_BACKEND="django_tasks_rq.RQBackend",
        DATABASE_URL="postgres://jingmin@db.internal:5432/jingmin",
        DATABASE_REPLICA_URL="postgres://jingmin@replica.internal:5432/jingmin",
        JINGMIN_MEDIA_STORAGE="s3",
        JINGMIN_S3_BUCKET="jingmin-media",
        JINGMIN_LOG_FORMAT="json",
    )
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_keys():
    env = production_env()
    del env["JINGMIN_FIELD_KEYS"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "JINGMIN_FIELD_KEYS" in result.stderr
