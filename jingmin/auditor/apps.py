from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditorConfig(AppConfig):
    name = "jingmin.auditor"
    label = "auditor"
    verbose_name = _("Audit log")
