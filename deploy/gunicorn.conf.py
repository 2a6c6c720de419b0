"""gunicorn's configuration for Jingmin: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Sync workers: each serves one request at a time with its own database connection, which is what
Django's ORM and the service layer expect. The default count is 2 per CPU core plus 1 (5 on a
2-core machine): a request spends part of its time waiting on PostgreSQL, so a little more than
one worker per core keeps the cores busy. Every worker holds a database connection, so
PostgreSQL's max_connections must cover (workers x web nodes) + task workers + a margin.

Slow clients (a phone uploading photos) never hold a worker: nginx reads the whole request before
passing it on (proxy_request_buffering, deploy/nginx/jingmin.conf). The settings below read a few
variables of the service's environment file; docs/operations.md lists them.
"""

import multiprocessing
import os

bind = os.environ.get("JINGMIN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# An export of 100,000 rows streams for a minute or more; nginx's proxy_read_timeout matches.
timeout = int(os.environ.get("JINGMIN_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Replace each worker after a few thousand requests, so that no slow leak grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# The workers' heartbeat files on a memory file system, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (gunicorn's own advice)
# X-Forwarded-Proto is believed from these addresses only (Django reads it too, behind
# JINGMIN_BEHIND_PROXY); the same list as the application's trusted proxies.
forwarded_allow_ips = os.environ.get("JINGMIN_TRUSTED_PROXIES", "127.0.0.1") or "127.0.0.1"
# The application writes one line per request, with its request id (jingmin.core.logging);
# gunicorn's own access log would only repeat it without the id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("JINGMIN_LOG_LEVEL", "info").lower()
proc_name = "jingmin"

if os.environ.get("JINGMIN_LOG_FORMAT") == "json":
    # gunicorn's own lines (start, worker exits, timeouts) as JSON too, like the application's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "jingmin.core.logging.JsonFormatter"}},
        # gunicorn merges this over its defaults key by key: both of its handlers are named here.
        "handlers": {
            name: {"class": "logging.StreamHandler", "formatter": "json", "stream": f"ext://sys.{stream}"}
            for name, stream in (("console", "stdout"), ("error_console", "stderr"))
        },
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False}
        },
    }
