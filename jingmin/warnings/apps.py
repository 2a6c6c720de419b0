from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningsConfig(AppConfig):
    name = "jingmin.warnings"
    label = "warnings"
    verbose_name = _("Early warning")

    def ready(self) -> None:
        # Appeals, visits, disputes and help cases tell us after commit what they wrote; each
        # becomes a task that runs the rules over that record (`jingmin.core.hooks`).
        from jingmin.core import hooks
        from jingmin.warnings.tasks import enqueue_scan

        for record_type in ("appeal", "visit", "dispute", "help_case"):
            hooks.listen(record_type, enqueue_scan)
