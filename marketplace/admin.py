from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.forms import UserCreationForm as DjangoUserCreationForm

from cleanit.admin_site import ReadOnlyAdmin, apply_each, confirm_with_reason

from . import services

from .models import AccountToken, CleanerKYC, IssuedRefreshToken, User


class UserCreationForm(DjangoUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name", "role")


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ("-date_joined",)
    list_display = ("email", "name", "role", "account_status", "email_verified", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_active", ("suspended_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "name", "phone")
    readonly_fields = ("id", "date_joined", "last_login", "email_verified_at", "terms_version", "terms_accepted_at",
                       "failed_login_count", "locked_until", "suspended_at", "suspension_reason", "deleted_at",
                       "tokens_valid_after", "is_active")
    fieldsets = (
        (None, {"fields": ("id", "email", "password")}),
        ("Profile", {"fields": ("name", "phone", "role")}),
        ("Status", {"fields": ("is_active", "suspended_at", "suspension_reason", "deleted_at", "failed_login_count",
                               "locked_until", "tokens_valid_after")}),
        ("Admin rights", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("History", {"fields": ("date_joined", "last_login", "email_verified_at", "terms_version",
                                "terms_accepted_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "role", "password1", "password2")}),)
    actions = ["suspend_users", "reactivate_users"]

    @admin.display(description="status")
    def account_status(self, obj):
        return obj.account_status

    @admin.display(boolean=True, description="e-mail verified")
    def email_verified(self, obj):
        return obj.email_verified

    @admin.action(description="Suspend selected users (signs them out everywhere)")
    def suspend_users(self, request, queryset):
        return confirm_with_reason(self, request, queryset, action="suspend_users", title="Suspend users",
                                   apply=lambda user, reason: services.user_suspend(user=user, reason=reason))

    @admin.action(description="Reactivate selected suspended users")
    def reactivate_users(self, request, queryset):
        done = sum(services.user_reactivate(user=user) for user in queryset)
        self.message_user(request, f"Reactivated {done} user(s).", messages.SUCCESS)


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
