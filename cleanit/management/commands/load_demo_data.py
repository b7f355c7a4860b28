from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.demo import load_demo_campaigns
from jobs.demo import load_demo_jobs
from marketplace.models import Role
from marketplace.services import ensure_demo_user
from notifications import services as notification_services

DEMO_USERS = (
    ("admin@demo.cleanit.in", "Asha Admin", "+919800000001", Role.ADMIN, True),
    ("customer@demo.cleanit.in", "Priya Sharma", "+919800000002", Role.CUSTOMER, False),
    ("cleaner@demo.cleanit.in", "Ravi Kumar", "+919800000003", Role.CLEANER, False),
)
DEMO_CLEANERS = (
    ("sunita@demo.cleanit.in", "Sunita Mishra", "+919800000021"),
    ("newcleaner@demo.cleanit.in", "Imran Shaikh", "+919800000022"),
)
DEMO_BACKERS = (
    ("meera@demo.cleanit.in", "Meera Iyer", "+919800000011"),
    ("arjun@demo.cleanit.in", "Arjun Singh", "+919800000012"),
    ("fatima@demo.cleanit.in", "Fatima Khan", "+919800000013"),
)


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts and data. Idempotent; refuses to run with DEBUG off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only: refusing to run with DEBUG=False.")
        password = settings.DEMO_PASSWORD
        users = {}
        for email, name, phone, role, is_staff in DEMO_USERS:
            users[role] = ensure_demo_user(email=email, password=password, name=name, phone=phone, role=role,
                                           is_staff=is_staff)
            notification_services.notify(
                user=users[role], event="account.welcome", title=f"Welcome to Cleanit, {users[role].get_short_name()}!",
                body="This is a demo account. Explore freely.", dedupe_key="demo-welcome",
            )
            self.stdout.write(f"  {email:<28} {role:<9} password: {password}")
        backers = [ensure_demo_user(email=email, password=password, name=name, phone=phone, role=Role.CUSTOMER)
                   for email, name, phone in DEMO_BACKERS]
        created = load_demo_campaigns(creator=users[Role.CUSTOMER], admin=users[Role.ADMIN], backers=backers)
        self.stdout.write(f"  {created} demo campaigns created" if created else "  demo campaigns already present")
        cleaners = [ensure_demo_user(email=email, password=password, name=name, phone=phone, role=Role.CLEANER)
                    for email, name, phone in DEMO_CLEANERS]
        for email, _, _ in DEMO_CLEANERS:
            self.stdout.write(f"  {email:<28} {Role.CLEANER:<9} password: {password}")
        jobs = load_demo_jobs(cleaner=users[Role.CLEANER], admin=users[Role.ADMIN], creator=users[Role.CUSTOMER],
                              backers=backers, extra_cleaners=cleaners)
        self.stdout.write(f"  {jobs} demo jobs created" if jobs else "  demo jobs already present")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
