from django.urls import path

from jingmin.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/new/", views.event_plan, name="event_plan"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/hold/", views.event_hold, name="event_hold"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("events/<int:pk>/files/", views.event_files, name="event_files"),
    path("events/<int:pk>/ratings/", views.event_ratings, name="event_ratings"),
    path("events/<int:pk>/opinions/", views.event_opinion, name="event_opinion"),
    path("opinions/<int:pk>/appeal/", views.opinion_appeal, name="opinion_appeal"),
    path("opinions/<int:pk>/track/", views.opinion_track, name="opinion_track"),
    path("opinions/<int:pk>/conclude/", views.opinion_conclude, name="opinion_conclude"),
    path("opinions/mine/", views.my_opinions, name="my_opinions"),
    path("files/<int:pk>/", views.event_file, name="event_file"),
    path("compliance/", views.compliance, name="compliance"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/new/", views.survey_build, name="survey_build"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("surveys/<int:pk>/step/", views.survey_step, name="survey_step"),
    path("surveys/<int:pk>/answers.xlsx", views.survey_export, name="survey_export"),
    path("surveys/<int:pk>/qr.svg", views.survey_qr, name="survey_qr"),
    path("surveys/<int:pk>/poster/", views.survey_poster, name="survey_poster"),
]
