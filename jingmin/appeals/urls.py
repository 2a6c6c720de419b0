from django.urls import path

from jingmin.appeals import views

# The intake page itself (`new/`, named "new") shows routing's suggestions and duplicates, so it
# lives in the shell and joins these patterns in the project's URLs.
app_name = "appeals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("supervision/", views.supervision, name="supervision"),
    path("reviews/", views.reviews, name="reviews"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("new/same-caller/", views.same_caller, name="same_caller"),
    path("new/merge-into/<int:pk>/", views.merge_into, name="merge_into"),
    path("export/", views.export, name="export"),
    path("batch/<str:action>/", views.batch, name="batch"),
    path("supervision/export/", views.supervision_export, name="supervision_export"),
    path("follow-ups/export/", views.follow_ups_export, name="follow_ups_export"),
    path("follow-ups/print/", views.follow_ups_print, name="follow_ups_print"),
    path("settings/", views.settings_page, name="settings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/phone/", views.reveal_phone, name="reveal_phone"),
    path("<int:pk>/do/<str:action>/", views.act, name="act"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    # The citizen's follow-up link (sent by SMS): public, the token is the credential.
    path("f/<str:token>/", views.citizen_follow_up, name="citizen_follow_up"),
]
