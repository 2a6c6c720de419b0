from django.urls import path

from jingmin.core import health
from jingmin.shell import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    # Answered by `health.HealthMiddleware` before any other middleware; named here for `reverse`.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
