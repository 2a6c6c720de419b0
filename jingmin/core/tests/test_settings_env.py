"""The settings for more than one machine come from the environment, and a wrong value stops the
process at start with a message naming the variable, rather than at the first request."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from jingmin.core.tests.test_deploy_check import ROOT, production_env

READ = (
    "import json, config.settings as s; print(json.dumps({"
    "'cache': s.CACHES['default']['BACKEND'], 'session': s.SESSION_ENGINE, "
    "'tasks': s.TASKS['default'], 'rq': s.RQ_QUEUES['default']['URL'], "
    "'apps': [a for a in s.INSTALLED_APPS if 'rq' in a], 'storage': s.STORAGES['default'], "
    "'databases': sorted(s.DATABASES), 'log': s.LOGGING['handlers']['console']['formatter']}))"
)


def _settings(**env: str) -> subprocess.CompletedProcess[str]:
    full = production_env()
    full.update(env)
    return subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=full, capture_output=True, text=True, timeout=60
    )


def test_one_machine_needs_no_service_beyond_the_database():
    result = _settings()
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    assert read["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert read["session"] == "django.contrib.sessions.backends.db"
    assert read["tasks"] == {"BACKEND": "django_tasks_db.DatabaseBackend"}
    assert read["apps"] == []
    assert read["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert read["databases"] == ["default"]
    assert read["log"] == "text"


def test_several_machines_share_redis_rq_a_replica_and_object_storage():
    result = _settings(
        JINGMIN_REDIS_URL="redis://cache.internal:6379/0",
        JINGMIN_SESSION_STORE="cached_db",
        JINGMIN_TASKS_BACKEND="django_tasks_rq.RQBackend",
        JINGMIN_RQ_REDIS_URL="redis://queue.internal:6379/0",
        DATABASE_URL="postgres://jingmin@db.internal:5432/jingmin",
        DATABASE_REPLICA_URL="postgres://jingmin@replica.internal:5432/jingmin",
        JINGMIN_MEDIA_STORAGE="s3",
        JINGMIN_S3_BUCKET="jingmin-media",
        JINGMIN_S3_ENDPOINT_URL="https://s3.internal",
        JINGMIN_LOG_FORMAT="json",
    )
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    assert read["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert read["session"] == "django.contrib.sessions.backends.cached_db"
    assert read["tasks"] == {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    assert read["rq"] == "redis://queue.internal:6379/0"
    assert read["apps"] == ["django_rq", "django_tasks_rq"]
    assert read["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert read["storage"]["OPTIONS"]["bucket_name"] == "jingmin-media"
    assert read["storage"]["OPTIONS"]["default_acl"] == "private"
    assert read["databases"] == ["default", "replica"]
    assert read["log"] == "json"


def test_rq_uses_the_cache_redis_unless_told_otherwise():
    result = _settings(
        JINGMIN_REDIS_URL="redis://cache.internal:6379/0", JINGMIN_TASKS_BACKEND="django_tasks_rq.RQBackend"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rq"] == "redis://cache.internal:6379/0"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"JINGMIN_LOG_FORMAT": "xml"}, "JINGMIN_LOG_FORMAT"),
        ({"JINGMIN_MEDIA_STORAGE": "ftp"}, "JINGMIN_MEDIA_STORAGE"),
        ({"JINGMIN_MEDIA_STORAGE": "s3"}, "JINGMIN_S3_BUCKET"),
        ({"JINGMIN_SESSION_STORE": "cache"}, "JINGMIN_REDIS_URL"),
        ({"JINGMIN_SESSION_STORE": "file"}, "JINGMIN_SESSION_STORE"),
        ({"JINGMIN_TASKS_BACKEND": "django_tasks_rq.RQBackend"}, "JINGMIN_RQ_REDIS_URL"),
    ],
)
def test_a_wrong_setting_stops_the_start_naming_the_variable(env, named):
    result = _settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_the_rq_worker_command_is_there_when_rq_is_chosen():
    env = production_env()
    env.update(
        JINGMIN_REDIS_URL="redis://127.0.0.1:6379/0", JINGMIN_TASKS_BACKEND="django_tasks_rq.RQBackend"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "rqworker", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "--job-class" in result.stdout and "--with-scheduler" in result.stdout
