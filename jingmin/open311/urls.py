from django.urls import path, re_path

from jingmin.open311 import views

app_name = "open311"

# GeoReport v2: every resource ends in its format (.xml or .json); an unknown format is answered
# by the endpoint itself, in XML, with the specification's error list.
FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns = [
    path("v2/", views.root, name="v2_root"),
    re_path(rf"^v2/discovery{FMT}", views.discovery, name="v2_discovery"),
    re_path(rf"^v2/services{FMT}", views.service_list, name="v2_services"),
    re_path(rf"^v2/services/(?P<service_code>[^/]+?){FMT}", views.service_definition, name="v2_service"),
    re_path(rf"^v2/requests{FMT}", views.request_list, name="v2_requests"),
    re_path(rf"^v2/requests/(?P<service_request_id>[^/]+?){FMT}", views.request_detail, name="v2_request"),
    re_path(rf"^v2/tokens/(?P<token>[^/]+?){FMT}", views.token_detail, name="v2_token"),
    re_path(r"^v2/(?P<rest>.*)$", views.unknown, name="v2_unknown"),
    # Administration
    path("partners/", views.partners, name="partners"),
    path("partners/<int:pk>/revoke/", views.partner_revoke, name="partner_revoke"),
    path("services/", views.service_settings, name="services"),
    path("services/<slug:code>/", views.service_attributes, name="service_attributes"),
]
