from django.urls import path

from . import views

app_name = "simulator"

urlpatterns = [
    path("checkout/<str:order_id>", views.checkout_page, name="checkout"),
    path("checkout/<str:order_id>/pay", views.checkout_pay, name="checkout_pay"),
]
