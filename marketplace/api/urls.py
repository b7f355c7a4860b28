from cleanit.api.routing import api_path

from . import cleaners, packages, views

auth_urlpatterns = [
    api_path("auth/register", views.RegisterView.as_view(), "auth-register"),
    api_path("auth/login", views.LoginView.as_view(), "auth-login"),
    api_path("auth/refresh", views.RefreshView.as_view(), "auth-refresh"),
    api_path("auth/logout", views.LogoutView.as_view(), "auth-logout"),
    api_path("auth/forgot-password", views.ForgotPasswordView.as_view(), "auth-forgot-password"),
    api_path("auth/reset-password", views.ResetPasswordView.as_view(), "auth-reset-password"),
    api_path("auth/verify-email", views.VerifyEmailView.as_view(), "auth-verify-email"),
]

user_urlpatterns = [
    api_path("users/me", views.MeView.as_view(), "users-me"),
    api_path("users/me/password", views.ChangePasswordView.as_view(), "users-me-password"),
    api_path("users/me/data-export", views.DataExportView.as_view(), "users-me-data-export"),
    api_path("users/me/notification-preferences", views.NotificationPreferencesView.as_view(),
             "users-me-notification-preferences"),
    api_path("users/<user_id>", views.PublicUserView.as_view(), "users-detail"),
]

# The fixed paths come before "cleaners/<cleaner_id>", which would otherwise take them.
cleaner_urlpatterns = [
    api_path("cleaners", cleaners.CleanerSearchView.as_view(), "cleaners-list"),
    api_path("cleaners/profile", cleaners.OwnProfileView.as_view(), "cleaners-profile"),
    api_path("cleaners/availability", cleaners.AvailabilityView.as_view(), "cleaners-availability"),
    api_path("cleaners/schedule", cleaners.ScheduleView.as_view(), "cleaners-schedule"),
    api_path("cleaners/me/kyc", views.MyKYCView.as_view(), "cleaners-me-kyc"),
    api_path("cleaners/me/earnings", views.MyEarningsView.as_view(), "cleaners-me-earnings"),
    api_path("cleaners/<cleaner_id>", cleaners.CleanerDetailView.as_view(), "cleaners-detail"),
    api_path("cleaners/<cleaner_id>/services", cleaners.CleanerServicesView.as_view(), "cleaners-services"),
    api_path("cleaners/<cleaner_id>/reviews", cleaners.CleanerReviewsView.as_view(), "cleaners-reviews"),
    api_path("cleaners/<cleaner_id>/availability", cleaners.CleanerSlotsView.as_view(), "cleaners-slots"),
    api_path("admin/cleaners/<user_id>/kyc", views.AdminKYCReviewView.as_view(), "admin-cleaners-kyc"),
]

service_urlpatterns = [
    api_path("services", packages.ServiceListCreateView.as_view(), "services-list"),
    api_path("services/<service_id>", packages.ServiceDetailView.as_view(), "services-detail"),
]

urlpatterns = auth_urlpatterns + user_urlpatterns + cleaner_urlpatterns + service_urlpatterns
