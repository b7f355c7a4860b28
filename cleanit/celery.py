import os
import warnings

from celery import Celery
from celery.exceptions import SecurityWarning
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cleanit.settings")

app = Celery("cleanit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# `make run` in a development container runs as root, where Celery warns on every start that the worker
# has superuser privileges. That is the container's doing, not a choice to warn a developer about each
# time; production runs as an unprivileged user (Dockerfile: USER cleanit) and keeps the warning.
if settings.DEBUG and hasattr(os, "geteuid") and os.geteuid() == 0:
    warnings.filterwarnings("ignore", message="You're running the worker with superuser privileges",
                            category=SecurityWarning)
