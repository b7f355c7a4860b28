from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.board, name="board"),
    path("mine/", views.mine, name="mine"),
    path("<str:job_id>/", views.detail, name="detail"),
    path("<str:job_id>/claim/", views.claim, name="claim"),
    path("<str:job_id>/unclaim/", views.unclaim, name="unclaim"),
    path("<str:job_id>/complete/", views.complete, name="complete"),
]
