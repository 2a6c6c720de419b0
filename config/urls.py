from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("jingmin.audit.urls")),
    path("", include("jingmin.org.urls")),
    path("", include("jingmin.core.urls")),
]
