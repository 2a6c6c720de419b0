from django.urls import path

from jingmin.auditor import views

# The names the pages have always had (`audit:log`, `audit:export`), now served from here.
app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export/", views.audit_export, name="export"),
]
