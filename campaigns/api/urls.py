from cleanit.api.routing import api_path

from . import views

urlpatterns = [
    api_path("campaigns", views.CampaignListCreateView.as_view(), "campaigns-list"),
    api_path("campaigns/<campaign_id>", views.CampaignDetailView.as_view(), "campaigns-detail"),
    api_path("campaigns/<campaign_id>/contribute", views.ContributeView.as_view(), "campaigns-contribute"),
    api_path("campaigns/<campaign_id>/cancel", views.CancelView.as_view(), "campaigns-cancel"),
    api_path("admin/campaigns/<campaign_id>/approve", views.AdminApproveView.as_view(), "admin-campaigns-approve"),
    api_path("admin/campaigns/<campaign_id>/cancel", views.AdminCancelView.as_view(), "admin-campaigns-cancel"),
]
