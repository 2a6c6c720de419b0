from django.urls import path

from jingmin.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.today, name="today"),
    path("record/", views.record, name="record"),
    path("record/households/", views.household_search, name="household_search"),
    path("list/", views.visit_list, name="list"),
    path("household/<int:pk>/", views.household_visits, name="household"),
    path("person/<int:pk>/", views.person_visits, name="person"),
    path("organisation/<int:pk>/", views.organisation_visits, name="organisation"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage/map.json", views.coverage_map, name="coverage_map"),
    path("plans/", views.plans, name="plans"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
