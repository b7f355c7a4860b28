import hashlib
import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from cleanit.dates import format_datetime
from cleanit.models import BaseModel

from . import rules
from .validators import indian_mobile_validator


class Role(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    CLEANER = "cleaner", "Cleaner"
    ADMIN = "admin", "Admin"


SELF_SERVICE_ROLES = (Role.CUSTOMER, Role.CLEANER)


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        return (email or "").strip().lower()

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        extra_fields.setdefault("name", "Administrator")
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. E-mail is the login; ``is_staff`` makes an admin. Suspended and deleted
    (anonymised) accounts have ``is_active`` False, so neither sessions nor tokens work."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("e-mail address", unique=True)
    name = models.CharField(max_length=150)
    phone = models.CharField(max_length=13, blank=True, validators=[indian_mobile_validator])
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("admin", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    terms_version = models.CharField(max_length=32, blank=True)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=255, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Carried by every JWT; incremented to void all tokens issued so far (suspension, password or
    # role change, deletion). A counter, not a time: a token issued in the same second is void too.
    token_version = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["-date_joined"]
        indexes = [
            models.Index(fields=["role", "is_active"]),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = User.objects.normalize_email(self.email)

    def save(self, *args, **kwargs):
        # The one place an address is normalised before it is stored, whoever saves (sign-up, admin,
        # shell): with every stored address lower-case, the unique index refuses case-duplicates.
        self.email = User.objects.normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_cleaner(self) -> bool:
        return self.role == Role.CLEANER

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER

    @property
    def account_status(self) -> str:
        if self.is_deleted:
            return "deleted"
        if self.is_suspended:
            return "suspended"
        return "active"

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class AccountToken(BaseModel):
    """A single-use secret mailed to the user (password reset, e-mail verification).
    Only its SHA-256 is stored; ``used_at`` is set by a conditional update, so it works once."""

    class Purpose(models.TextChoices):
        PASSWORD_RESET = "password_reset", "Password reset"
        EMAIL_VERIFICATION = "email_verification", "E-mail verification"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_tokens")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "used_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()} link for {self.user}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class IssuedRefreshToken(BaseModel):
    """The revocation store for JWT refresh tokens: every refresh token we issue is recorded by
    its ``jti``. Rotation revokes the presented one with a conditional update, so a token works
    exactly once; presenting a revoked one revokes its whole family (a stolen-token signal)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresh_tokens")
    jti = models.CharField(max_length=64, unique=True)
    family = models.UUIDField(db_index=True)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"Refresh token of {self.user}, issued {format_datetime(self.created_at)}"


class CleanerKYC(BaseModel):
    """A cleaner's identity and payout details. Numbers are stored encrypted (cleanit.crypto) with
    a masked copy for display; the plain values are decrypted only to create the RazorpayX fund
    account when an admin verifies them. Only verified cleaners claim jobs and receive payouts."""

    class IdType(models.TextChoices):
        AADHAAR = "aadhaar", "Aadhaar"
        PAN = "pan", "PAN"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    class Method(models.TextChoices):
        BANK_ACCOUNT = "bank_account", "Bank account"
        UPI = "upi", "UPI"

    ENCRYPTED_FIELDS = ("id_number_encrypted", "bank_account_encrypted", "upi_id_encrypted")

    # Created waiting for review. An admin verifies or rejects; new details (a correction after a
    # rejection, a change after verification, a replacement while waiting) wait for review again.
    TRANSITIONS = {
        Status.PENDING: {Status.VERIFIED, Status.REJECTED, Status.PENDING},
        Status.VERIFIED: {Status.PENDING},
        Status.REJECTED: {Status.PENDING},
    }

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="kyc")
    id_type = models.CharField(max_length=16, choices=IdType.choices)
    id_number_encrypted = models.TextField()
    id_number_masked = models.CharField(max_length=20)
    account_holder_name = models.CharField(max_length=120)
    payout_method = models.CharField(max_length=16, choices=Method.choices)
    bank_account_encrypted = models.TextField(blank=True)
    bank_account_masked = models.CharField(max_length=24, blank=True)
    bank_ifsc = models.CharField(max_length=11, blank=True)
    upi_id_encrypted = models.TextField(blank=True)
    upi_id_masked = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    submitted_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rejection_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "cleaner KYC"
        verbose_name_plural = "cleaner KYC"
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"KYC of {self.user} ({self.get_status_display()})"

    @property
    def payout_destination(self) -> str:
        if self.payout_method == self.Method.UPI:
            return f"UPI {self.upi_id_masked}"
        return f"A/c {self.bank_account_masked} ({self.bank_ifsc})"


class AccountAuditEntry(BaseModel):
    """Who changed an account's standing (suspension, reactivation, role, admin rights) and when.
    Written only by marketplace.services.accounts; read-only in the admin."""

    class Action(models.TextChoices):
        SUSPENDED = "suspended", "Suspended"
        REACTIVATED = "reactivated", "Reactivated"
        ROLE_CHANGED = "role_changed", "Role changed"
        STAFF_GRANTED = "staff_granted", "Admin rights granted"
        STAFF_REVOKED = "staff_revoked", "Admin rights revoked"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="audit_entries")
    # None when a rule acted (a cleaner suspended for missed deadlines), not a person.
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32, choices=Action.choices)
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "account audit entry"
        verbose_name_plural = "account audit entries"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.user}"


# Where a search is narrowed first (the city's key, the box's latitude), then what it reads for the rest.
# ``listed`` is not first: SQLite compares a boolean as a bare column, which no index prefix matches.
SEARCH_INDEX_FIELDS = ["latitude", "longitude", "listed", "is_available", "rating_avg", "rating_count", "hourly_rate",
                       "id"]


class CleanerProfile(BaseModel):
    """A cleaner's public profile: who they are, where they work, their rate and the figures customers
    choose by. Written only by marketplace.services (profile, availability, packages); the counters are
    moved with F() by the booking and review services (issue 11), so they are never read-modify-written.

    A profile is found in searches (``listed``) when its user is active (not suspended, not deleted) and
    it has an active service package (``min_active_price`` is then the cheapest one's price, kept by the
    package services)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="cleaner_profile")
    bio = models.CharField(max_length=rules.BIO_MAX, blank=True)
    experience_years = models.PositiveSmallIntegerField(default=0)
    hourly_rate = models.PositiveBigIntegerField(help_text="paise an hour", db_index=True)
    street = models.CharField(max_length=rules.STREET_MAX)
    city = models.CharField(max_length=rules.CITY_MAX)
    # The city as searched: case-folded, spaces collapsed ("  navi  MUMBAI" -> "navi mumbai").
    city_key = models.CharField(max_length=rules.CITY_MAX, editable=False)  # indexed in Meta.indexes
    state = models.CharField(max_length=rules.STATE_MAX)
    pincode = models.CharField(max_length=6)
    latitude = models.FloatField()  # indexed with the others a search reads, in Meta.indexes
    longitude = models.FloatField()
    is_available = models.BooleanField(default=True, db_index=True)
    rating_total = models.PositiveIntegerField(default=0, help_text="sum of every rating given (1-5 each)")
    rating_count = models.PositiveIntegerField(default=0)
    rating_avg = models.FloatField(default=0, db_index=True)
    completed_bookings = models.PositiveIntegerField(default=0)
    # Average response time = response_seconds_total / response_count (booking requests answered);
    # cancellation rate = cleaner_cancellations / accepted_bookings. Both "new" while their count is 0.
    response_count = models.PositiveIntegerField(default=0)
    response_seconds_total = models.PositiveBigIntegerField(default=0)
    accepted_bookings = models.PositiveIntegerField(default=0)
    cleaner_cancellations = models.PositiveIntegerField(default=0)
    min_active_price = models.PositiveBigIntegerField(
        "from price", null=True, blank=True, db_index=True, editable=False,
        help_text="paise; the cheapest active package (none: not listed in searches)")
    # Found in searches: the account is active, not suspended, not deleted, min_active_price is set, and
    # no search suspension runs (search_suspended_until in the past or none).
    # Kept by marketplace.services (cleaner_listing_refresh, after every change to either), so that a
    # search reads one indexed column instead of joining every candidate's user.
    search_suspended_until = models.DateTimeField(
        null=True, blank=True, help_text="out of searches until then (too many cancellations by the cleaner)")
    listed = models.BooleanField(default=False, editable=False,
                                 help_text="found in searches (active account with an active service)")

    @property
    def distance_km(self) -> float | None:
        """Kilometres from the point of a search (marketplace.selectors.cleaner_search annotates
        ``distance_metres``), to 10 m; None elsewhere."""
        metres = getattr(self, "distance_metres", None)
        return None if metres is None else round(metres / 1000, 2)

    class Meta:
        ordering = ["-rating_avg", "-rating_count", "id"]
        # A search from a point (by city or not) filters, counts and sorts from the index alone, the row is
        # read for the page only: the listing, the box, the filters, the sort keys and the id
        # (marketplace.discovery.cleaner_search computes the exact distance from these columns).
        indexes = [
            models.Index(fields=["city_key", *SEARCH_INDEX_FIELDS], name="cleaner_search_city_point"),
            models.Index(fields=SEARCH_INDEX_FIELDS, name="cleaner_search_point"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating_avg__gte=rules.RATING_RANGE[0],
                                                      rating_avg__lte=rules.RATING_RANGE[1]),
                                   name="cleaner_rating_avg_in_range"),
            models.CheckConstraint(condition=models.Q(experience_years__lte=rules.EXPERIENCE_MAX_YEARS),
                                   name="cleaner_experience_in_range"),
        ]

    def __str__(self):
        return f"{self.user.name} ({self.city})"

    def save(self, *args, **kwargs):
        # Whoever saves (services, admin, demo data), the search key follows the city.
        self.city_key = rules.city_key(self.city)
        super().save(*args, **kwargs)

    @property
    def verified(self) -> bool:
        """The cleaner's KYC is verified (select_related("user__kyc") spares a query)."""
        kyc = getattr(self.user, "kyc", None)
        return kyc is not None and kyc.status == CleanerKYC.Status.VERIFIED

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def average_response_seconds(self) -> int | None:
        return round(self.response_seconds_total / self.response_count) if self.response_count else None

    @property
    def cancellation_rate(self) -> float | None:
        return round(self.cleaner_cancellations / self.accepted_bookings, 4) if self.accepted_bookings else None


class ScheduleRange(BaseModel):
    """One range of a cleaner's weekly schedule, in minutes after midnight IST on a weekday
    (0 = Monday). Ranges of a day never overlap; schedule_set replaces the whole week at once."""

    profile = models.ForeignKey(CleanerProfile, on_delete=models.CASCADE, related_name="schedule")
    weekday = models.PositiveSmallIntegerField()
    start_minute = models.PositiveSmallIntegerField()
    end_minute = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["weekday", "start_minute"]
        indexes = [models.Index(fields=["profile", "weekday"])]
        constraints = [
            models.UniqueConstraint(fields=["profile", "weekday", "start_minute"], name="schedule_one_range_per_start"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="schedule_weekday_in_week"),
            models.CheckConstraint(condition=models.Q(start_minute__lt=models.F("end_minute"),
                                                      end_minute__lte=rules.MINUTES_PER_DAY),
                                   name="schedule_range_within_day"),
        ]

    def __str__(self):
        return f"{rules.WEEKDAYS[self.weekday]} {rules.clock(self.start_minute)}-{rules.clock(self.end_minute)}"


class ServicePackage(BaseModel):
    """A service a cleaner offers at a fixed price and duration. Only active packages are offered;
    one with bookings is deactivated instead of deleted (marketplace.services.package_delete)."""

    class ServiceType(models.TextChoices):
        BASIC_CLEAN = "basic_clean", "Basic clean"
        DEEP_CLEAN = "deep_clean", "Deep clean"
        SPECIALIZED = "specialized", "Specialised"

    cleaner = models.ForeignKey(CleanerProfile, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=rules.PACKAGE_NAME_LENGTH[1])
    description = models.CharField(max_length=rules.PACKAGE_DESCRIPTION_MAX, blank=True)
    price = models.PositiveBigIntegerField(help_text="paise")
    duration_minutes = models.PositiveSmallIntegerField()
    service_type = models.CharField(max_length=16, choices=ServiceType.choices, db_index=True)
    is_active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["price", "name"]
        indexes = [models.Index(fields=["cleaner", "is_active"]), models.Index(fields=["service_type", "is_active"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=rules.PACKAGE_PRICE_RANGE[0],
                                                      price__lte=rules.PACKAGE_PRICE_RANGE[1]),
                                   name="package_price_in_range"),
            models.CheckConstraint(condition=models.Q(duration_minutes__gte=rules.DURATION_RANGE_MINUTES[0],
                                                      duration_minutes__lte=rules.DURATION_RANGE_MINUTES[1]),
                                   name="package_duration_in_range"),
        ]

    def __str__(self):
        return self.name

    @property
    def duration_hours(self) -> float:
        return rules.hours(self.duration_minutes)
