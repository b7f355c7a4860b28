from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<str:booking_id>/", views.detail, name="detail"),
]
