from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cleanit import health, views
from bookings.api import urls as bookings_api
from campaigns.api import urls as campaigns_api
from jobs.api import urls as jobs_api
from cleanit.api.routing import api_path
from marketplace.api import urls as marketplace_api
from notifications.api import urls as notifications_api
from payments.api import urls as payments_api

api_v1 = [
    *bookings_api.urlpatterns,  # first: "payments/create-intent" before payments' "payments/<payment_id>"
    *payments_api.urlpatterns,  # before marketplace: "users/me/transactions" before "users/<user_id>"
    *marketplace_api.urlpatterns,
    *notifications_api.urlpatterns,
    *campaigns_api.urlpatterns,
    *jobs_api.urlpatterns,
    api_path("schema", SpectacularAPIView.as_view(), "schema"),
    api_path("docs", SpectacularSwaggerView.as_view(url_name="api:schema"), "docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path("health", health.health, name="health"),
    path("health/", health.health),
    path("health/live", health.live, name="health-live"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    # Anything else under /api/ is a JSON 404 (also with DEBUG on, where handler404 is not used).
    re_path(r"^api/", views.api_not_found),
    path("admin/", admin.site.urls),
    path("account/", include("marketplace.urls")),
    path("cleaners/", include("marketplace.cleaner_urls")),
    path("notifications/", include("notifications.urls")),
    path("payments/", include("payments.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("jobs/", include("jobs.urls")),
    path("bookings/", include("bookings.urls")),
    path("simulator/razorpay/", include("payments.simulator.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve,
                            {"document_root": settings.MEDIA_ROOT}))

handler400 = "cleanit.views.bad_request"
handler403 = "cleanit.views.permission_denied"
handler404 = "cleanit.views.page_not_found"
handler500 = "cleanit.views.server_error"
