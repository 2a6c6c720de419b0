from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time each tasks worker ran the heartbeat task: proof, for /readyz, that queued work
    is being done. `queued_at` beside `seen_at` shows how long the queue made it wait."""

    worker = models.CharField(_("worker"), max_length=200, primary_key=True)
    seen_at = models.DateTimeField(_("seen at"), db_index=True)
    queued_at = models.DateTimeField(_("queued at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker
