from django.urls import path

from jingmin.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.persons, name="index"),
    path("persons/new/", views.person_new, name="person_new"),
    path("persons/<int:pk>/", views.person_detail, name="person"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/leave/", views.person_leave, name="person_leave"),
    path("persons/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("persons/export/", views.export_persons, name="export_persons"),
    path("reveal/<str:record_type>/<int:pk>/<str:field>/", views.reveal, name="reveal"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/new/", views.address_new, name="address_new"),
    path("addresses/<int:pk>/", views.address_detail, name="address"),
    path("addresses/<int:pk>/edit/", views.address_edit, name="address_edit"),
    path("addresses/<int:address_pk>/house/new/", views.house_new, name="house_new"),
    path("addresses/<int:address_pk>/organisations/new/", views.organisation_new, name="organisation_new"),
    path("houses/<int:pk>/", views.house_detail, name="house"),
    path("houses/<int:pk>/edit/", views.house_edit, name="house_edit"),
    path("houses/<int:house_pk>/households/new/", views.household_new, name="household_new"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/export/", views.export_organisations, name="export_organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("imports/", views.import_list, name="imports"),
    path("imports/template/", views.template, name="template"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
]
