from django.urls import path

from jingmin.disputes import views

app_name = "disputes"
urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.dispute_new, name="new"),
    path("new/parties/", views.party_search, name="party_search"),
    path("report/", views.monthly_report, name="report"),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/attach/", views.dispute_attach, name="attach"),
    path("<int:pk>/<slug:step>/", views.dispute_step, name="step"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
