"""The Django admin with room for dashboards: apps register staff-only pages (financial overview,
SLA panel...) that appear on the admin index and get the admin's look and permissions."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path


class CleanitAdminSite(admin.AdminSite):
    site_header = "Cleanit administration"
    site_title = "Cleanit admin"
    index_title = "Operations"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dashboards: list[tuple[str, str, object]] = []

    def register_dashboard(self, slug: str, title: str, view) -> None:
        self._dashboards.append((slug, title, view))

    def get_urls(self):
        dashboards = [path(f"dashboards/{slug}/", self.admin_view(view), name=f"dashboard_{slug.replace('-', '_')}")
                      for slug, _, view in self._dashboards]
        return dashboards + super().get_urls()

    def each_context(self, request):
        context = super().each_context(request)
        context["dashboards"] = [(f"admin:dashboard_{slug.replace('-', '_')}", title)
                                 for slug, title, _ in self._dashboards]
        return context


class CleanitAdminConfig(AdminConfig):
    default_site = "cleanit.admin_site.CleanitAdminSite"
