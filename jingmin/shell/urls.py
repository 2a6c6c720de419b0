from django.urls import path

from jingmin.core import health
from jingmin.shell import intake_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    # Answered by `health.HealthMiddleware` before any other middleware; named here for `reverse`.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# The clerk's intake page composes appeals and routing, so it is the shell's; the project's URLs
# join these to the appeals' own, under their namespace and path (`appeals:new`, /appeals/new/).
appeal_urlpatterns = [
    path("new/", intake_views.register, name="new"),
]
