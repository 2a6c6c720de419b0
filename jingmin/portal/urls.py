from django.urls import path

from jingmin.portal import surveys, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submitted/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_detail, name="track_detail"),
    path("track/<str:code>/rate/", views.rate, name="rate"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("statistics/", views.stats, name="stats"),
    path("privacy/", views.privacy, name="privacy"),
    # Open-door evaluation: events announced by the stations, surveys answered anonymously.
    path("evaluation/", surveys.evaluation_home, name="evaluation"),
    path("evaluation/events/<int:pk>/", surveys.event, name="event"),
    path("s/<str:code>/", surveys.survey, name="survey"),
    path("s/<str:code>/done/", surveys.survey_done, name="survey_done"),
    path("display/", views.display, name="display"),
    # Staff: the notices of one's units (Cap.PUBLISH_NOTICES).
    path("manage/notices/", views.notice_manage, name="notice_manage"),
    path("manage/notices/<int:pk>/", views.notice_edit, name="notice_edit"),
]
