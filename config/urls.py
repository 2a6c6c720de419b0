from django.urls import include, path

from jingmin.appeals import urls as appeals_urls
from jingmin.shell import urls as shell_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("jingmin.auditor.urls")),
    # The intake page composes appeals and routing, so the shell holds it under the appeals' name.
    path(
        "appeals/",
        include(([*shell_urls.appeal_urlpatterns, *appeals_urls.urlpatterns], appeals_urls.app_name)),
    ),
    path("notifications/", include("jingmin.notify.urls")),
    path("calendar/", include("jingmin.worktime.urls")),
    path("api/", include("jingmin.api.urls")),
    path("open311/", include("jingmin.open311.urls")),
    path("portal/", include("jingmin.portal.urls")),
    path("routing/", include("jingmin.routing.urls")),
    path("ledger/", include("jingmin.ledger.urls")),
    path("visits/", include("jingmin.visits.urls")),
    path("metrics/", include("jingmin.metrics.urls")),
    path("field/", include("jingmin.field.urls")),
    path("evaluation/", include("jingmin.evaluation.urls")),
    path("disputes/", include("jingmin.disputes.urls")),
    path("cases/", include("jingmin.cases.urls")),
    path("warnings/", include("jingmin.warnings.urls")),
    path("captcha/", include("captcha.urls")),
    path("", include("jingmin.org.urls")),
    path("", include("jingmin.shell.urls")),
]

# A program on the API or Open311 gets its own error shape, not Django's HTML (config/handlers.py).
handler404 = "config.handlers.not_found"
handler500 = "config.handlers.server_error"
