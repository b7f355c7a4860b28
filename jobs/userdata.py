from cleanit.userdata import register_exporter

from .models import Job


def export_jobs(user_id):
    return [
        {"id": str(job.pk), "campaign_id": str(job.campaign_id), "status": job.status, "amount": job.amount,
         "claimed_at": job.claimed_at.isoformat() if job.claimed_at else None,
         "completed_at": job.completed_at.isoformat() if job.completed_at else None, "flags": job.flags}
        for job in Job.objects.filter(claimed_by_id=user_id).order_by("created_at")
    ]


register_exporter("jobs", export_jobs)
