"""Pages anyone may open: find cleaners (/cleaners/) and a cleaner's profile with its free times."""

from django.urls import path

from . import views

app_name = "cleaners"

urlpatterns = [
    path("", views.cleaner_find, name="find"),
    path("<str:cleaner_id>/", views.cleaner_profile, name="profile"),
]
