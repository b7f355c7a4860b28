from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.demo import load_demo_campaigns
from cleanit.demo import happened_at, on_day
from jobs.demo import load_demo_jobs
from bookings.demo import load_demo_bookings
from bookings.demo_history import load_demo_history
from marketplace.demo import CLEANERS, EMAIL_DOMAIN, RAVI, SUNITA, load_demo_cleaners
from marketplace.models import Role, User
from marketplace.services import ensure_demo_user
from notifications import services as notification_services

# e-mail, name, phone, role, admin, joined (days before the demo's present, India time)
# Notifications newer than this are left unread in the demo accounts.
DEMO_UNREAD_FOR = timedelta(days=7)
# Every demo account, the generated cleaners' (cleaners.demo.cleanit.in) included.
DEMO_EMAIL_SUFFIX = "demo.cleanit.in"
DEMO_USERS = (
    ("admin@demo.cleanit.in", "Asha Admin", "+919800000001", Role.ADMIN, True, (150, "09:30")),
    ("customer@demo.cleanit.in", "Priya Sharma", "+919800000002", Role.CUSTOMER, False, (120, "19:10")),
    ("cleaner@demo.cleanit.in", "Ravi Kumar", "+919800000003", Role.CLEANER, False, (95, "18:50")),
)
DEMO_CLEANERS = (
    ("sunita@demo.cleanit.in", "Sunita Mishra", "+919800000021", (40, "15:20")),
    ("newcleaner@demo.cleanit.in", "Imran Shaikh", "+919800000022", (3, "20:45")),
)
DEMO_BACKERS = (
    ("meera@demo.cleanit.in", "Meera Iyer", "+919800000011", (110, "08:05")),
    ("arjun@demo.cleanit.in", "Arjun Singh", "+919800000012", (105, "22:40")),
    ("fatima@demo.cleanit.in", "Fatima Khan", "+919800000013", (100, "13:15")),
)


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts and data. Idempotent; refuses to run with DEBUG off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only: refusing to run with DEBUG=False.")
        password = settings.DEMO_PASSWORD
        now = timezone.now()

        def demo_user(email, name, phone, role, joined, is_staff=False, welcome=False):
            with happened_at(on_day(now, *joined)):
                user = ensure_demo_user(email=email, password=password, name=name, phone=phone, role=role,
                                        is_staff=is_staff)
                if welcome:
                    notification_services.notify(
                        user=user, event="account.welcome", title=f"Welcome to Cleanit, {user.get_short_name()}!",
                        body="This is a demo account. Explore freely.", dedupe_key="demo-welcome",
                    )
            return user

        users = {}
        for email, name, phone, role, is_staff, joined in DEMO_USERS:
            users[role] = demo_user(email, name, phone, role, joined, is_staff, welcome=True)
            self.stdout.write(f"  {email:<28} {role:<9} password: {password}")
        backers = [demo_user(email, name, phone, Role.CUSTOMER, joined) for email, name, phone, joined in DEMO_BACKERS]
        created = load_demo_campaigns(creator=users[Role.CUSTOMER], admin=users[Role.ADMIN], backers=backers, now=now)
        self.stdout.write(f"  {created} demo campaigns created" if created else "  demo campaigns already present")
        cleaners = [demo_user(email, name, phone, Role.CLEANER, joined) for email, name, phone, joined in DEMO_CLEANERS]
        for email, _, _, _ in DEMO_CLEANERS:
            self.stdout.write(f"  {email:<28} {Role.CLEANER:<9} password: {password}")
        jobs = load_demo_jobs(cleaner=users[Role.CLEANER], admin=users[Role.ADMIN],
                              creator=users[Role.CUSTOMER], backers=backers, extra_cleaners=cleaners, now=now)
        self.stdout.write(f"  {jobs} demo jobs created" if jobs else "  demo jobs already present")
        profiles = load_demo_cleaners(admin=users[Role.ADMIN], cleaner=users[Role.CLEANER], sunita=cleaners[0], now=now)
        self.stdout.write(f"  {profiles} demo cleaner profiles created" if profiles
                          else "  demo cleaner profiles already present")
        history = load_demo_history(now=now, named={users[Role.CLEANER].email: RAVI, cleaners[0].email: SUNITA})
        self.stdout.write(f"  {history} past bookings of the demo cleaners, with their reviews and payments" if history
                          else "  past bookings already present")
        bookings = load_demo_bookings(customer=users[Role.CUSTOMER], cleaner=users[Role.CLEANER], sunita=cleaners[0],
                                      backers=backers, now=now)
        self.stdout.write(f"  {bookings} demo bookings in every state" if bookings else "  demo bookings already present")
        self.stdout.write(f"  and {CLEANERS} more cleaners, name.surnameN@{EMAIL_DOMAIN}  password: {password}")
        # People who use the site have read what reached them before this week; the last days' news is new.
        read_until = now - DEMO_UNREAD_FOR
        for user in User.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX):
            notification_services.notification_mark_all_read(user=user, before=read_until, now=read_until)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
