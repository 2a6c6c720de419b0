"""The deployment files agree with the code: nginx's upload limits with the settings, the headers it
sends with what the application reads, every command the systemd units run exists, and gunicorn
serves the application with its configuration file, logging JSON lines with the proxy's request id."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from jingmin.core.tests.test_deploy_check import production_env

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
MiB = 1024 * 1024


def _nginx() -> str:
    return (DEPLOY / "nginx" / "jingmin.conf").read_text()


def _size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", value).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": MiB}[unit]


def _limits() -> dict[str, int]:
    """client_max_body_size of the server block ("/") and of each location that sets its own."""
    limits = {}
    location = "/"
    for line in _nginx().splitlines():
        line = line.split("#", 1)[0].strip()
        if match := re.match(r"location\s+(?:=\s*)?(\S+)\s*\{", line):
            location = match.group(1)
        elif line == "}":
            location = "/"
        elif match := re.match(r"client_max_body_size\s+(\S+);", line):
            limits[location] = _size(match.group(1))
    return limits


def test_nginx_takes_the_largest_upload_the_settings_allow_and_little_more():
    staff = max(
        settings.APPEAL_ATTACHMENT_MAX_FILES * settings.APPEAL_ATTACHMENT_MAX_BYTES,
        settings.VISIT_PHOTO_MAX_FILES * settings.APPEAL_ATTACHMENT_MAX_BYTES,
        settings.LEDGER_IMPORT_MAX_BYTES,
    )
    portal = settings.PORTAL_MAX_PHOTOS * settings.PORTAL_PHOTO_MAX_BYTES
    limits = _limits()
    assert staff < limits["/"] <= staff + 4 * MiB
    assert portal < limits["/portal/"] <= portal + 4 * MiB


def test_nginx_sends_what_the_application_reads():
    conf = _nginx()
    assert f"proxy_set_header {settings.REQUEST_ID_HEADER} $request_id;" in conf
    # client_ip reads the right-most untrusted address of X-Forwarded-For, which nginx appends.
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_request_buffering on;" in conf
    assert "location /media" not in conf  # uploads only through the views that check scope


def test_every_command_the_units_run_exists():
    known = set(get_commands()) | {"rqworker"}  # django_rq's, installed with the RQ back-end
    found = []
    for unit in (DEPLOY / "systemd").iterdir():
        for command in re.findall(r"manage\.py (\w+)", unit.read_text()):
            found.append(command)
            assert command in known, f"{unit.name} runs manage.py {command}, which does not exist"
    assert {"db_worker", "rqworker", "tasks_heartbeat", "backup", "portal_cleanup"} <= set(found)
    from django_rq.management.commands import rqworker  # noqa: F401 (the RQ worker command is there)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def gunicorn(tmp_path):
    port = _free_port()
    env = production_env()
    env.update(
        JINGMIN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        JINGMIN_LOG_FORMAT="json",
        JINGMIN_TRUSTED_PROXIES="127.0.0.1",
        JINGMIN_HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base + "/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail("gunicorn did not start:\n" + log.read())
                time.sleep(0.3)
        yield base, log
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_gunicorn_serves_the_probes_and_logs_json_with_the_proxys_request_id(gunicorn):
    base, log = gunicorn
    status, _headers, body = _get(base + "/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    # Nothing is migrated in this empty database: not ready, and it says which check failed.
    status, _headers, body = _get(base + "/readyz")
    assert status == 503 and json.loads(body)["checks"]["migrations"] == "failing"
    status, headers, _body = _get(
        base + "/no-such-page/", **{"X-Request-ID": "0123456789abcdef0123456789abcdef"}
    )
    assert status == 404
    assert headers["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    time.sleep(0.5)
    log.seek(0)
    lines = [json.loads(line) for line in log.read().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "jingmin.request"]
    assert requests == [
        {
            **requests[0],
            "request_id": "0123456789abcdef0123456789abcdef",
            "method": "GET",
            "path": "/no-such-page/",
            "status": 404,
            "user_id": None,
        }
    ]
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # gunicorn's own lines as JSON too
    assert os.environ.get("JINGMIN_LOG_FORMAT") != "json"  # the test process itself is untouched
