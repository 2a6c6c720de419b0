from django.urls import path

from jingmin.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("help/new/", views.help_new, name="help_new"),
    path("help/<int:pk>/", views.help_detail, name="help_detail"),
    path("help/<int:pk>/act/", views.help_act, name="help_act"),
    path("help/<int:pk>/close/", views.help_close, name="help_close"),
    path("persuasion/new/", views.persuasion_new, name="persuasion_new"),
    path("persuasion/<int:pk>/", views.persuasion_detail, name="persuasion_detail"),
    path("persuasion/<int:pk>/contact/", views.persuasion_contact, name="persuasion_contact"),
    path("persuasion/<int:pk>/close/", views.persuasion_close, name="persuasion_close"),
]
