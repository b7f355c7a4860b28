from django.urls import path

from . import views

app_name = "marketplace"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/forgot/", views.password_forgot, name="password_forgot"),
    path("password/reset/<str:token>/", views.password_reset, name="password_reset"),
    path("verify-email/<str:token>/", views.verify_email, name="verify_email"),
    path("verify-email-resend/", views.verification_resend, name="verification_resend"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/profile/", views.settings_profile, name="settings_profile"),
    path("settings/password/", views.settings_password, name="settings_password"),
    path("settings/notifications/", views.settings_notifications, name="settings_notifications"),
    path("settings/delete/", views.settings_delete, name="settings_delete"),
    path("data-export/", views.data_export, name="data_export"),
    path("kyc/", views.kyc, name="kyc"),
    path("earnings/", views.earnings, name="earnings"),
    path("cleaner/", views.cleaner_dashboard, name="cleaner_dashboard"),
    path("cleaner/profile/", views.cleaner_profile_edit, name="cleaner_profile_edit"),
    path("cleaner/availability/", views.cleaner_availability, name="cleaner_availability"),
    path("cleaner/schedule/", views.cleaner_schedule, name="cleaner_schedule"),
    path("cleaner/services/new/", views.cleaner_service_add, name="cleaner_service_add"),
    path("cleaner/services/<str:service_id>/", views.cleaner_service_edit, name="cleaner_service_edit"),
    path("cleaner/services/<str:service_id>/delete/", views.cleaner_service_delete, name="cleaner_service_delete"),
]
