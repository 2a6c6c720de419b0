from django.urls import path

from jingmin.metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("trend/", views.trend, name="trend"),
    path("home/", views.home_panel, name="home_panel"),
    path("figure/<slug:key>/", views.figure_page, name="figure"),
    path("officer/<int:pk>/", views.officer_page, name="officer"),
    path("wall/", views.wall, name="wall"),
    path("export/", views.export, name="export"),
    path("settings/", views.settings_page, name="settings"),
]
