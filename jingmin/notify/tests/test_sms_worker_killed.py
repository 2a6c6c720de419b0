"""A real tasks worker (`manage.py db_worker`, its own process) is killed with SIGKILL while the
gateway holds an SMS it already took; the task is run again by a second worker, as a retry would:
the citizen gets the text once.

The worker reads the test database, so this runs on PostgreSQL (on SQLite the test database is
not one a second process can open). The gateway here appends the message to a file and then, in
the first worker only, hangs until it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from jingmin.notify import sms
from jingmin.notify.models import SmsDispatch
from jingmin.notify.services import sms_notify
from jingmin.notify.tasks import send_sms

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process on the test database"),
    pytest.mark.django_db(transaction=True),
]

PHONE = "13900001111"
TEXT = "【警民】您的诉求已受理，查询码 ABC123。"


class HangingFileGateway(sms.SmsBackend):
    """Appends each message to the file named by the environment, then hangs if told to."""

    def send(self, phone: str, text: str) -> None:
        with Path(os.environ["JINGMIN_TEST_SMS_FILE"]).open("a", encoding="utf-8") as file:
            file.write(f"{phone}\t{text}\n")
        if os.environ.get("JINGMIN_TEST_SMS_HANG"):
            time.sleep(120)


def worker(outbox: Path, *, hang: bool, batch: bool) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "JINGMIN_SMS_BACKEND": f"{__name__}.HangingFileGateway",
        "JINGMIN_TEST_SMS_FILE": str(outbox),
        "JINGMIN_TEST_SMS_HANG": "1" if hang else "",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    args = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "db_worker",
        "--no-startup-delay",
        "--no-reload",
    ]
    args += ["--batch"] if batch else ["--interval", "0.2"]
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stderr_of(process: subprocess.Popen[bytes]) -> bytes:
    return process.stderr.read() if process.stderr is not None else b""


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_a_worker_killed_mid_send_and_the_task_run_again_sends_one_text(audit_guard_lifted, tmp_path):
    outbox = tmp_path / "sms.txt"
    sms_notify(phone=PHONE, text=TEXT)  # autocommit: queued at once
    key = SmsDispatch.objects.get().key

    first = worker(outbox, hang=True, batch=False)
    try:
        deadline = time.monotonic() + 60
        while not lines(outbox) and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.1)
        assert lines(outbox) == [f"{PHONE}\t{TEXT}"], stderr_of(first) if first.poll() is not None else b""
        first.send_signal(signal.SIGKILL)
    finally:
        if first.poll() is None:
            first.kill()
        first.wait(30)
    assert first.returncode == -signal.SIGKILL
    # The killed run's task is left "running"; the record shows the gateway was called.
    assert DBTaskResult.objects.get().status == "RUNNING"
    assert SmsDispatch.objects.filter(key=key, attempted_at__isnull=False, sent_at__isnull=True).exists()

    send_sms.enqueue(phone=PHONE, text=TEXT, dispatch_key=key)  # the retry
    second = worker(outbox, hang=False, batch=True)
    assert second.wait(120) == 0, stderr_of(second)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 1
    assert lines(outbox) == [f"{PHONE}\t{TEXT}"]
