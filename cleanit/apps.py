from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CleanitConfig(AppConfig):
    name = "cleanit"
    verbose_name = "Cleanit"

    def ready(self):
        from django.conf import settings

        if not settings.REDIS_URL:
            for folder in ("queue", "processed", "control"):
                (settings.CELERY_BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)

        from django.apps import apps

        from . import checks, periodic  # noqa: F401  (checks registers the deploy checks)

        # cleanit has no models, so its own post_migrate never fires; beat's does, after its tables exist.
        post_migrate.connect(periodic.sync_schedule_after_migrate, sender=apps.get_app_config("django_celery_beat"))
