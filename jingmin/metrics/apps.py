from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "jingmin.metrics"
    label = "metrics"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # Domains register their indicators and rating sources in `<app>/indicators.py`; metrics
        # imports them here so that it never imports a domain by name (see registry.py).
        from jingmin.metrics.registry import autodiscover, register_source_indicators

        list(autodiscover(app.name for app in apps.get_app_configs()))
        register_source_indicators()
