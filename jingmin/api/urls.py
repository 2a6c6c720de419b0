from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from jingmin.api import auth, disputes, figures, surveys, views
from jingmin.api.docs import SwaggerView

app_name = "api"

# The schema and its docs page are for staff only, like the API they describe.
staff_only = [IsAuthenticated]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=staff_only), name="schema"),
    path(
        "docs/",
        SwaggerView.as_view(url_name="api:schema", permission_classes=staff_only),
        name="docs",
    ),
    path("v1/auth/token/", auth.TokenView.as_view(), name="token"),
    path("v1/categories/", views.CategoryListView.as_view(), name="categories"),
    path("v1/units/", views.UnitListView.as_view(), name="units"),
    path("v1/indicators/", figures.IndicatorsView.as_view(), name="indicators"),
    path("v1/appeals/", views.AppealListView.as_view(), name="appeals"),
    path("v1/appeals/batch/", views.AppealBatchView.as_view(), name="appeals_batch"),
    path("v1/appeals/<int:pk>/", views.AppealDetailView.as_view(), name="appeal"),
    path("v1/appeals/<int:pk>/events/", views.AppealEventsView.as_view(), name="appeal_events"),
    path("v1/surveys/", surveys.SurveyListView.as_view(), name="surveys"),
    path("v1/surveys/<int:pk>/results/", surveys.SurveyResultsView.as_view(), name="survey_results"),
    *(
        path(f"v1/appeals/<int:pk>/{action}/", view.as_view(), name=f"appeal_{action.replace('-', '_')}")
        for action, view in views.ACTION_VIEWS.items()
    ),
    path("v1/disputes/", disputes.DisputeListView.as_view(), name="disputes"),
    path("v1/disputes/<int:pk>/", disputes.DisputeDetailView.as_view(), name="dispute"),
    path("v1/disputes/<int:pk>/<slug:action>/", disputes.DisputeActionView.as_view(), name="dispute_action"),
    path("v1/signals/", disputes.SignalListView.as_view(), name="signals"),
]
