from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("jingmin.audit.urls")),
    path("appeals/", include("jingmin.appeals.urls")),
    path("notifications/", include("jingmin.notify.urls")),
    path("calendar/", include("jingmin.worktime.urls")),
    path("api/", include("jingmin.api.urls")),
    path("", include("jingmin.org.urls")),
    path("", include("jingmin.core.urls")),
]
