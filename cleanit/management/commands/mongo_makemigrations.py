from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings


class Command(BaseCommand):
    help = ("makemigrations for the MongoDB migration tree (mongo_migrations/) without a MongoDB server. "
            "Run with DATABASE_URL=mongodb://...; pass --check --dry-run to verify the tree is up to date.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        if not settings.USING_MONGODB:
            raise CommandError("DATABASE_URL must be a mongodb:// URL for this command.")
        with override_settings(DATABASE_ROUTERS=["cleanit.routers.NoMigrateRouter"]):
            # Labels are named explicitly: apps whose migrations module does not exist yet are
            # otherwise skipped as "unmigrated".
            call_command("makemigrations", *settings.MIGRATION_MODULES, check_changes=options["check"], dry_run=options["dry_run"],
                         verbosity=options["verbosity"], interactive=False)
