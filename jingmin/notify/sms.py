"""The SMS gateway, behind one small interface chosen by `settings.SMS_BACKEND`.

Nothing in this module reaches a real gateway: the file back-end (the default) keeps each message
on disk and in the log, the console back-end prints it and the locmem back-end collects it for
tests. A real gateway is another subclass of `SmsBackend`, named in the setting.
"""

from __future__ import annotations

import json
import logging
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from jingmin.core.crypto import mask

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str
    at: datetime


class SmsBackend(ABC):
    @abstractmethod
    def send(self, phone: str, text: str) -> None:
        """Hand one message to the gateway; raise if it was not accepted, so the task fails."""


class FileSmsBackend(SmsBackend):
    """Appends one JSON line per message to a file per day under `settings.SMS_FILE_DIR`.

    A file per day lets whoever runs the server delete old messages (phone numbers are personal
    data) by date, without editing a file that is being written.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory if directory is not None else settings.SMS_FILE_DIR)

    def send(self, phone: str, text: str) -> None:
        now = timezone.now()
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"sms-{timezone.localdate(now).isoformat()}.jsonl"
        line = json.dumps({"time": now.isoformat(), "phone": phone, "text": text}, ensure_ascii=False)
        # One write of one line in append mode, so that two workers writing at once do not interleave.
        with path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")
        # Logs are shipped and kept further than this file: the number goes there masked.
        logger.info("SMS to %s: %s", mask(phone), text)


class ConsoleSmsBackend(SmsBackend):
    """Prints each message, for a developer watching `runserver` or `db_worker`."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, phone: str, text: str) -> None:
        # Resolved at send time, so that a test capturing stdout sees the message.
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {phone}: {text}\n")
        stream.flush()


outbox: list[SmsMessage] = []
"""The messages "sent" through `LocmemSmsBackend`, like `django.core.mail.outbox`."""


class LocmemSmsBackend(SmsBackend):
    """Keeps each message in the module-level `outbox`, for tests."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(SmsMessage(phone=phone, text=text, at=timezone.now()))


def get_sms_backend() -> SmsBackend:
    # Read at every call rather than once at import, so that a changed setting (a test, a
    # reconfigured worker) takes effect without a restart.
    path = settings.SMS_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} cannot be imported: {exc}") from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, SmsBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} is not a subclass of SmsBackend")
    backend: SmsBackend = backend_class()
    return backend
