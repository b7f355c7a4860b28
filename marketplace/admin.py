from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.forms import UserCreationForm as DjangoUserCreationForm

from cleanit.admin_site import ReadOnlyAdmin, ReadOnlyInline, apply_each, confirm_with_reason

from . import services
from .models import AccountAuditEntry, AccountToken, CleanerKYC, IssuedRefreshToken, Role, User


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
