from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.forms import UserCreationForm as DjangoUserCreationForm

from cleanit.admin_site import ReadOnlyAdmin, ReadOnlyInline, apply_each, confirm_with_reason

from . import rules, services
from .models import (
    AccountAuditEntry,
    AccountToken,
    CleanerKYC,
    CleanerProfile,
    IssuedRefreshToken,
    Role,
    ScheduleRange,
    ServicePackage,
    User,
)


def _clean_email(email: str, user: User | None = None) -> str:
    field_errors: dict[str, list[str]] = {}
    email = services.email_clean(email, field_errors=field_errors, user=user)
    if field_errors:
        raise forms.ValidationError(field_errors["email"])
    return email


class UserCreationForm(DjangoUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name", "role")

    def clean_email(self):
        return _clean_email(self.cleaned_data.get("email"))


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        return _clean_email(self.cleaned_data.get("email"), user=self.instance)


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "set password" goes through the same service as a user's own change: the user's
    tokens are revoked and they are told."""

    def save(self, commit=True):
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        services.password_set(user=self.user, password=password)
        return self.user


class AccountAuditInline(ReadOnlyInline):
    model = AccountAuditEntry
    fk_name = "user"
    fields = ("created_at", "action", "detail", "actor")
    ordering = ("-created_at",)


def _role_action(role: Role):
    def set_role(modeladmin, request, queryset):
        apply_each(modeladmin, request, queryset, done_message=f"Role set to {role.label} for {{done}} user(s).",
                   apply=lambda user: services.user_set_role(user=user, role=role, by=request.user))

    set_role.__name__ = f"set_role_{role.value}"
    return admin.action(description=f"Set role: {role.label} (signs them out of the app)")(set_role)


# Role, admin rights and the active flag change only through the actions below (services, audited).
ACCESS_FIELDS = ("role", "is_staff", "is_superuser", "is_active")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = PasswordChangeForm
    inlines = [AccountAuditInline]
    ordering = ("-date_joined",)
    list_display = ("email", "name", "role", "account_status", "email_verified", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_active", ("suspended_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "name", "phone")
    readonly_fields = ("id", "date_joined", "last_login", "email_verified_at", "terms_version", "terms_accepted_at",
                       "failed_login_count", "locked_until", "suspended_at", "suspension_reason", "deleted_at",
                       "token_version", *ACCESS_FIELDS)
    fieldsets = (
        (None, {"fields": ("id", "email", "password")}),
        ("Profile", {"fields": ("name", "phone", "role")}),
        ("Status", {"fields": ("is_active", "suspended_at", "suspension_reason", "deleted_at", "failed_login_count",
                               "locked_until", "token_version")}),
        ("Admin rights", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("History", {"fields": ("date_joined", "last_login", "email_verified_at", "terms_version",
                                "terms_accepted_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "role", "password1", "password2")}),)
    actions = ["suspend_users", "reactivate_users", *(_role_action(role) for role in Role), "grant_admin_rights",
               "revoke_admin_rights"]

    def get_readonly_fields(self, request, obj=None):
        # A new account gets its role on the add form; afterwards it changes through an action.
        return self.readonly_fields if obj is not None else ()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # A hard delete would skip anonymisation and take financial records with it; people delete
        # their own account (user_delete_account), admins suspend.
        return False

    @admin.display(description="status")
    def account_status(self, obj):
        return obj.account_status

    @admin.display(boolean=True, description="e-mail verified")
    def email_verified(self, obj):
        return obj.email_verified

    @admin.action(description="Suspend selected users (signs them out everywhere)")
    def suspend_users(self, request, queryset):
        return confirm_with_reason(self, request, queryset, action="suspend_users", title="Suspend users",
                                   apply=lambda user, reason: services.user_suspend(user=user, reason=reason,
                                                                                    by=request.user))

    @admin.action(description="Reactivate selected suspended users")
    def reactivate_users(self, request, queryset):
        apply_each(self, request, queryset, done_message="Reactivated {done} user(s).",
                   apply=lambda user: services.user_reactivate(user=user, by=request.user))

    @admin.action(description="Grant admin rights")
    def grant_admin_rights(self, request, queryset):
        apply_each(self, request, queryset, done_message="Granted admin rights to {done} user(s).",
                   apply=lambda user: services.user_set_staff(user=user, is_staff=True, by=request.user))

    @admin.action(description="Revoke admin rights")
    def revoke_admin_rights(self, request, queryset):
        apply_each(self, request, queryset, done_message="Revoked admin rights of {done} user(s).",
                   apply=lambda user: services.user_set_staff(user=user, is_staff=False, by=request.user))


@admin.register(AccountAuditEntry)
class AccountAuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "action", "detail", "actor")
    list_filter = ("action",)
    search_fields = ("user__email", "actor__email", "detail")
    list_select_related = ("user", "actor")
    fields = ("created_at", "user", "action", "detail", "actor")
    readonly_fields = fields


@admin.register(IssuedRefreshToken)
class IssuedRefreshTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "revoked_at", "revoked_reason")
    list_filter = ("revoked_reason",)
    search_fields = ("user__email", "jti")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in IssuedRefreshToken._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccountToken)
class AccountTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "purpose", "created_at", "expires_at", "used_at")
    list_filter = ("purpose",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    exclude = ("token_hash",)
    readonly_fields = ("user", "purpose", "expires_at", "used_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CleanerKYC)
class CleanerKYCAdmin(ReadOnlyAdmin):
    """Review queue for cleaners' KYC: numbers are only ever shown masked."""

    list_display = ("user", "status", "id_type", "id_number_masked", "payout_destination", "submitted_at",
                    "reviewed_at")
    list_filter = ("status", "id_type", "payout_method")
    search_fields = ("user__email", "user__name", "account_holder_name")
    list_select_related = ("user",)
    ordering = ("status", "submitted_at")
    fields = ("user", "status", "id_type", "id_number_masked", "account_holder_name", "payout_method",
              "bank_account_masked", "bank_ifsc", "upi_id_masked", "submitted_at", "reviewed_at", "reviewed_by",
              "rejection_reason")
    readonly_fields = fields
    actions = ["verify_kyc", "reject_kyc"]

    @admin.action(description="Verify selected KYC (creates the RazorpayX contact and fund account)")
    def verify_kyc(self, request, queryset):
        apply_each(self, request, queryset.select_related("user"), done_message="Verified {done} cleaner(s).",
                   apply=lambda kyc: services.kyc_review(kyc=kyc, admin=request.user, action="verify"))

    @admin.action(description="Reject selected KYC (asks for a reason)")
    def reject_kyc(self, request, queryset):
        return confirm_with_reason(
            self, request, queryset.select_related("user"), action="reject_kyc", title="Reject KYC",
            apply=lambda kyc, reason: bool(services.kyc_review(kyc=kyc, admin=request.user, action="reject",
                                                               reason=reason)))


class VerifiedFilter(admin.SimpleListFilter):
    title = "verified (KYC)"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return (("yes", "Verified"), ("no", "Not verified"))

    def queryset(self, request, queryset):
        verified = {"user__kyc__status": CleanerKYC.Status.VERIFIED}
        if self.value() == "yes":
            return queryset.filter(**verified)
        if self.value() == "no":
            return queryset.exclude(**verified)
        return queryset


class ListedFilter(admin.SimpleListFilter):
    title = "listed in searches"
    parameter_name = "listed"

    def lookups(self, request, model_admin):
        return (("yes", "Listed (active, with an active service)"), ("no", "Not listed"))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(listed=self.value() == "yes")
        return queryset


class ScheduleInline(ReadOnlyInline):
    model = ScheduleRange
    fields = ("weekday_name", "start", "end")
    ordering = ("weekday", "start_minute")

    @admin.display(description="day")
    def weekday_name(self, obj):
        return rules.WEEKDAYS[obj.weekday]

    @admin.display(description="from (IST)")
    def start(self, obj):
        return rules.clock(obj.start_minute)

    @admin.display(description="to (IST)")
    def end(self, obj):
        return rules.clock(obj.end_minute)


class PackageInline(ReadOnlyInline):
    model = ServicePackage
    fields = ("name", "service_type", "price", "duration", "is_active")
    rupee_fields = ("price",)
    ordering = ("-is_active", "price")

    @admin.display(description="duration")
    def duration(self, obj):
        return rules.duration_label(obj.duration_minutes)


def _availability_action(is_available: bool):
    def set_availability(modeladmin, request, queryset):
        apply_each(modeladmin, request, queryset.select_related("user"),
                   done_message=f"{'Available' if is_available else 'Unavailable'}: {{done}} cleaner(s).",
                   apply=lambda profile: services.availability_set(user=profile.user, is_available=is_available))

    set_availability.__name__ = f"mark_{'available' if is_available else 'unavailable'}"
    label = "available" if is_available else "unavailable (no slots offered)"
    return admin.action(description=f"Mark selected cleaners {label}")(set_availability)


@admin.register(CleanerProfile)
class CleanerProfileAdmin(ReadOnlyAdmin):
    """Cleaners' profiles as they wrote them; to take one out of searches, suspend the account (an action
    here, or on the user)."""

    list_display = ("name", "city", "hourly_rate", "rating_avg", "rating_count", "is_available", "verified",
                    "listed", "account_status")
    rupee_fields = ("hourly_rate", "min_active_price")
    list_filter = (VerifiedFilter, "is_available", ListedFilter, "city")
    search_fields = ("user__name", "user__email", "city")
    list_select_related = ("user", "user__kyc")
    ordering = ("user__name",)
    fields = ("user", "bio", "experience_years", "hourly_rate", "street", "city", "state", "pincode", "latitude",
              "longitude", "is_available", "verified", "listed", "min_active_price", "rating_avg", "rating_count",
              "completed_bookings", "created_at", "updated_at")
    readonly_fields = fields
    inlines = [ScheduleInline, PackageInline]
    actions = [_availability_action(False), _availability_action(True), "suspend_cleaners"]

    @admin.display(description="name", ordering="user__name")
    def name(self, obj):
        return obj.user.name

    @admin.display(boolean=True, description="verified")
    def verified(self, obj):
        return obj.verified

    @admin.display(boolean=True, description="listed", ordering="listed")
    def listed(self, obj):
        return obj.listed

    @admin.display(description="account")
    def account_status(self, obj):
        return obj.user.account_status

    @admin.action(description="Suspend the selected cleaners' accounts (out of searches, signed out everywhere)")
    def suspend_cleaners(self, request, queryset):
        return confirm_with_reason(self, request, queryset.select_related("user"), action="suspend_cleaners",
                                   title="Suspend cleaners",
                                   apply=lambda profile, reason: services.user_suspend(
                                       user=profile.user, reason=reason, by=request.user))


def _package_active_action(is_active: bool):
    def set_active(modeladmin, request, queryset):
        apply_each(modeladmin, request, queryset.select_related("cleaner__user"),
                   done_message=f"{'Activated' if is_active else 'Deactivated'} {{done}} service(s).",
                   apply=lambda package: services.package_update(user=package.cleaner.user, package_id=package.pk,
                                                                 is_active=is_active))

    set_active.__name__ = "activate_packages" if is_active else "deactivate_packages"
    return admin.action(description=f"{'Offer' if is_active else 'Stop offering'} the selected services")(set_active)


@admin.register(ServicePackage)
class ServicePackageAdmin(ReadOnlyAdmin):
    list_display = ("name", "cleaner_name", "service_type", "price", "duration", "is_active", "created_at")
    rupee_fields = ("price",)
    list_filter = ("service_type", "is_active")
    search_fields = ("name", "cleaner__user__name", "cleaner__city")
    list_select_related = ("cleaner__user",)
    fields = ("cleaner", "name", "description", "service_type", "price", "duration", "is_active", "created_at",
              "updated_at")
    readonly_fields = fields
    actions = [_package_active_action(False), _package_active_action(True)]

    @admin.display(description="cleaner", ordering="cleaner__user__name")
    def cleaner_name(self, obj):
        return obj.cleaner.user.name

    @admin.display(description="duration", ordering="duration_minutes")
    def duration(self, obj):
        return rules.duration_label(obj.duration_minutes)
