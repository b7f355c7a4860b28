from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketplace.models import Role
from marketplace.services import ensure_demo_user
from notifications import services as notification_services

DEMO_USERS = (
    ("admin@demo.cleanit.in", "Asha Admin", "+919800000001", Role.ADMIN, True),
    ("customer@demo.cleanit.in", "Priya Sharma", "+919800000002", Role.CUSTOMER, False),
    ("cleaner@demo.cleanit.in", "Ravi Kumar", "+919800000003", Role.CLEANER, False),
)


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts and data. Idempotent; refuses to run with DEBUG off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only: refusing to run with DEBUG=False.")
        password = settings.DEMO_PASSWORD
        for email, name, phone, role, is_staff in DEMO_USERS:
            user = ensure_demo_user(email=email, password=password, name=name, phone=phone, role=role,
                                    is_staff=is_staff)
            notification_services.notify(
                user=user, event="account.welcome", title=f"Welcome to Cleanit, {user.get_short_name()}!",
                body="This is a demo account. Explore freely.", dedupe_key="demo-welcome",
            )
            self.stdout.write(f"  {email:<28} {role:<9} password: {password}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
