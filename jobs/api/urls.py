from cleanit.api.routing import api_path

from . import views

urlpatterns = [
    api_path("jobs", views.JobBoardView.as_view(), "jobs-list"),
    api_path("jobs/mine", views.MyJobsView.as_view(), "jobs-mine"),
    api_path("jobs/<job_id>", views.JobDetailView.as_view(), "jobs-detail"),
    api_path("jobs/<job_id>/claim", views.ClaimView.as_view(), "jobs-claim"),
    api_path("jobs/<job_id>/unclaim", views.UnclaimView.as_view(), "jobs-unclaim"),
    api_path("jobs/<job_id>/complete", views.CompleteView.as_view(), "jobs-complete"),
    api_path("admin/jobs/verification-queue", views.VerificationQueueView.as_view(), "admin-jobs-verification-queue"),
    api_path("admin/jobs/<job_id>/verify", views.VerifyView.as_view(), "admin-jobs-verify"),
]
