from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from cleanit.api.schema import error_catalogue_markdown

DOC = Path(settings.BASE_DIR) / "docs" / "api-errors.md"


class Command(BaseCommand):
    help = "Write docs/api-errors.md from the error catalogue (--check: exit 1 when it is out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check=False, **options):
        text = error_catalogue_markdown()
        if check:
            if not DOC.exists() or DOC.read_text() != text:
                self.stderr.write("docs/api-errors.md is out of date: run manage.py error_catalogue")
                raise SystemExit(1)
            return
        DOC.write_text(text)
        self.stdout.write(f"wrote {DOC.relative_to(settings.BASE_DIR)}")
