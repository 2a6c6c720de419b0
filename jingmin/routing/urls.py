from django.urls import path

from jingmin.routing import views

app_name = "routing"

urlpatterns = [
    path("", views.index, name="index"),
    path("retrain/", views.retrain, name="retrain"),
    path("models/<int:version>/", views.model_detail, name="model"),
    path("models/<int:version>/activate/", views.activate, name="activate"),
    path("suggest/", views.suggest, name="suggest"),
]
