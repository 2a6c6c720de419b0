from django.urls import path

from jingmin.warnings import views

app_name = "warnings"
urlpatterns = [
    path("", views.signal_list, name="list"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/<slug:step>/", views.signal_step, name="step"),
    path("words/", views.words, name="words"),
    path("words/<int:pk>/remove/", views.word_remove, name="word_remove"),
]
