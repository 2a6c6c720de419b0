"""Files people upload (an appeal's attachments, a visit's photos, a dispute's or an open-door
event's papers): checked by their first bytes and size, whatever the name or the browser says, and
stored through Django's storage API with the row that describes them, so the media may be a
shared directory or an object store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext as _

from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError

# A row that holds an uploaded file (models with the columns `store_upload` fills).
U = TypeVar("U", bound=models.Model)


@dataclass(frozen=True)
class CheckedUpload:
    upload: UploadedFile
    content_type: str


_SIGNATURES: list[tuple[bytes, str, frozenset[str]]] = [
    (b"\xff\xd8\xff", "image/jpeg", frozenset({"jpg", "jpeg"})),
    (b"\x89PNG\r\n\x1a\n", "image/png", frozenset({"png"})),
    (b"GIF8", "image/gif", frozenset({"gif"})),
    (b"%PDF-", "application/pdf", frozenset({"pdf"})),
]


def _sniff(head: bytes) -> tuple[str, frozenset[str]] | None:
    for magic, content_type, exts in _SIGNATURES:
        if head.startswith(magic):
            return content_type, exts
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", frozenset({"webp"})
    return None


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Check an uploaded photo or document by its bytes and size; visits' photos go through it too."""
    name = upload.name or ""
    if upload.size is None or upload.size == 0:
        raise ServiceError(
            _("The file %(name)s is empty.") % {"name": name}, code=CommonError.EMPTY_FILE, field="files"
        )
    if upload.size > settings.APPEAL_ATTACHMENT_MAX_BYTES:
        raise ServiceError(
            _("The file %(name)s is larger than %(mb)d MB.")
            % {"name": name, "mb": settings.APPEAL_ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            code=CommonError.FILE_TOO_LARGE,
            field="files",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    # The bytes decide, not the name or the browser's claim.
    sniffed = _sniff(head)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if sniffed is None or ext not in sniffed[1]:
        raise ServiceError(
            _("The file %(name)s is not an image (JPEG, PNG, GIF, WebP) or a PDF.") % {"name": name},
            code=CommonError.FILE_TYPE,
            field="files",
        )
    return CheckedUpload(upload=upload, content_type=sniffed[0])


def store_upload(
    model: type[U],
    checked: CheckedUpload,
    *,
    actor: AbstractBaseUser | None,
    now: datetime,
    fallback_name: str,
    **owner: Any,
) -> U:
    """Save a checked upload as a row of `model` (an appeal's attachment, a visit's photo), which
    has the upload's name, type, size, time and uploader beside `owner`'s fields."""
    upload = checked.upload
    row = model(
        **owner,
        original_name=(upload.name or "")[:200],
        content_type=checked.content_type,
        size=upload.size or 0,
        uploaded_at=now,
        uploaded_by=actor,
    )
    row.file.save(upload.name or fallback_name, upload, save=False)  # type: ignore[attr-defined]
    row.save()
    return row
