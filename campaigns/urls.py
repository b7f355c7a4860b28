from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("<str:campaign_id>/", views.campaign_detail, name="detail"),
    path("<str:campaign_id>/edit/", views.campaign_edit, name="edit"),
    path("<str:campaign_id>/contribute/", views.contribute, name="contribute"),
    path("<str:campaign_id>/cancel/", views.cancel, name="cancel"),
]
