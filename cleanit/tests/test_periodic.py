from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from freezegun import freeze_time

from cleanit import periodic
from notifications.models import Notification
from notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_list_prints_every_job(capsys):
    call_command("run_periodic", "--list")
    out = capsys.readouterr().out
    assert "notifications.purge_old" in out and "accounts.purge_expired_refresh_tokens" in out


def test_every_job_has_a_beat_entry_after_migrate():
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(periodic.all_jobs()) <= names
    task = PeriodicTask.objects.get(name="notifications.purge_old")
    assert task.task == periodic.RUN_PERIODIC_TASK and task.crontab.timezone.key == "Asia/Kolkata"


def test_sync_keeps_admin_changes():
    task = PeriodicTask.objects.get(name="notifications.purge_old")
    task.enabled = False
    task.save()
    assert periodic.sync_schedule() == 0
    assert PeriodicTask.objects.get(name="notifications.purge_old").enabled is False


def test_run_with_at_and_twice_changes_nothing_twice(capsys):
    with freeze_time(timezone.now() - timedelta(days=100)):
        NotificationFactory()
    NotificationFactory()
    at = (timezone.now() + timedelta(days=1)).isoformat()
    call_command("run_periodic", "notifications.purge_old", "--at", at)
    assert "deleted 1" in capsys.readouterr().out
    call_command("run_periodic", "notifications.purge_old", "--at", at)
    assert "deleted 0" in capsys.readouterr().out
    assert Notification.objects.count() == 1


def test_unknown_job_and_bad_time():
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_periodic", "nope")
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("run_periodic", "notifications.purge_old", "--at", "yesterday")


def test_problems_exit_non_zero(monkeypatch):
    job = periodic.PeriodicJob(name="test.failing", description="x",
                               func=lambda now: periodic.JobResult(summary="bad", problems=["mismatch"]))
    monkeypatch.setitem(periodic._REGISTRY, "test.failing", job)
    with pytest.raises(CommandError) as exc:
        call_command("run_periodic", "test.failing")
    assert exc.value.returncode == 2


def test_celery_task_runs_the_job():
    from cleanit.tasks import run_periodic_job

    with freeze_time(timezone.now() - timedelta(days=100)):
        NotificationFactory()
    assert "deleted 1" in run_periodic_job.delay("notifications.purge_old").get()
