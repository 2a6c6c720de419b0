from django.urls import path

from jingmin.field import views

app_name = "field"
urlpatterns = [
    path("", views.app, name="app"),
    path("sw.js", views.worker, name="worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("session/", views.session, name="session"),
    path("copy/", views.copy, name="copy"),
    path("sync/", views.sync, name="sync"),
]
