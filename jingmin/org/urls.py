from django.urls import path

from jingmin.org import auth_views, views

app_name = "org"
urlpatterns = [
    path("signin/", auth_views.signin, name="signin"),
    path("signin/code/", auth_views.signin_otp, name="signin_otp"),
    path("signin/setup/", auth_views.signin_enrol, name="signin_enrol"),
    path("signout/", auth_views.signout, name="signout"),
    path("account/security/", auth_views.security, name="security"),
    path("account/password/", auth_views.password_change_view, name="password_change"),
    path("account/otp/", auth_views.otp_setup, name="otp_setup"),
    path("account/otp/remove/", auth_views.otp_remove, name="otp_remove"),
    path("org/units/", views.units, name="units"),
    path("org/staff/", views.staff, name="staff"),
    path("org/staff/new/", views.staff_create, name="staff_create"),
    path("org/staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("org/staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("org/staff/<int:pk>/unlock/", views.staff_unlock, name="staff_unlock"),
    path("org/staff/<int:pk>/otp-reset/", views.staff_otp_reset, name="staff_otp_reset"),
    path("org/staff/<int:pk>/role/", views.staff_role, name="staff_role"),
    path("org/staff/<int:pk>/password/", views.staff_password_reset, name="staff_password_reset"),
]
