from cleanit.api.routing import api_path

from . import views

urlpatterns = [
    api_path("users/me/transactions", views.TransactionsView.as_view(), "users-me-transactions"),
    api_path("admin/financial-overview", views.FinancialOverviewView.as_view(), "admin-financial-overview"),
    api_path("payments/verify", views.VerifyView.as_view(), "payments-verify"),
    api_path("payments/webhook", views.WebhookView.as_view(), "payments-webhook"),
    api_path("payments/refund/<payment_id>", views.AdminRefundView.as_view(), "payments-refund"),
    api_path("payments/<payment_id>", views.PaymentDetailView.as_view(), "payments-detail"),
]
