from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "jingmin.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from jingmin.appeals import reference
        from jingmin.appeals.models import Category, DeadlinePolicy

        # Signals, not calls in the services: the admin and a shell change these rows too, and a
        # registration must never run on a category or clock the administrator has just changed.
        for model in (Category, DeadlinePolicy):
            post_save.connect(reference.changed, sender=model, dispatch_uid=f"reference-{model.__name__}")
            post_delete.connect(
                reference.changed, sender=model, dispatch_uid=f"reference-{model.__name__}-del"
            )
