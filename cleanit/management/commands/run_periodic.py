from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils import timezone

from cleanit import periodic


class Command(BaseCommand):
    help = "Run a periodic job now, synchronously (as Celery beat would), optionally as of another moment."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="job name (see --list)")
        parser.add_argument("--list", action="store_true", help="print the job names and schedules")
        parser.add_argument("--at", help="ISO 8601 moment to run the job as of, e.g. 2026-03-01T00:00:00+05:30")

    def handle(self, *args, **options):
        jobs = periodic.all_jobs()
        if options["list"]:
            for job in jobs.values():
                self.stdout.write(f"{job.name}\t{job.schedule_text}\t{job.description}")
            return
        name = options["name"]
        if not name:
            raise CommandError("Name a job, or use --list.")
        if name not in jobs:
            raise CommandError(f"Unknown job {name!r}. Known: {', '.join(jobs)}")
        at = None
        if options["at"]:
            at = parse_datetime(options["at"])
            if at is None:
                raise CommandError(f"--at {options['at']!r} is not an ISO 8601 date-time.")
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        result = periodic.run_job(name, at=at)
        self.stdout.write(f"{name}: {result.summary}")
        for problem in result.problems:
            self.stderr.write(f"problem: {problem}")
        if result.problems:
            raise CommandError(f"{name} reported {len(result.problems)} problem(s).", returncode=2)
