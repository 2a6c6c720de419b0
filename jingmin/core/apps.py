from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jingmin.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from jingmin.core import text
        from jingmin.core.logging import connect_task_signals

        connect_task_signals()
        text.install()
