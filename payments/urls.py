from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("checkout/<str:payment_id>/", views.checkout, name="checkout"),
    path("callback/", views.callback, name="callback"),
    path("receipts/<str:payment_id>/", views.receipt, name="receipt"),
    path("transactions/", views.transactions, name="transactions"),
    path("payouts/<str:payout_id>/", views.payout_receipt, name="payout_receipt"),
]
