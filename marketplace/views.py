from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from cleanit.api.exceptions import status_for_domain_error
from cleanit.api.throttling import auth_throttle_wait
from cleanit.errors import DomainError
from cleanit.forms import apply_domain_error
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from payments import selectors as payment_selectors

from . import forms, notices, selectors, services
from .decorators import cleaner_required
from .errors import AccountLocked, InvalidToken

BACKEND = "marketplace.backends.LockoutAwareBackend"


def _rate_limited(request, action: str, template: str, form):
    wait = auth_throttle_wait(request, action)
    if wait is None:
        return None
    form.add_error(None, notices.rate_limited(wait))
    response = render(request, template, {"form": form}, status=429)
    response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST":
        limited = _rate_limited(request, "register", "marketplace/signup.html", form)
        if limited:
            return limited
        if form.is_valid():
            try:
                services.user_register(**form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, notices.SIGNED_UP)
                return redirect("marketplace:login")
    return render(request, "marketplace/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    form = forms.LoginForm(request.POST or None)
    context = {"form": form, "next": next_url}
    if request.method == "POST":
        limited = _rate_limited(request, "login", "marketplace/login.html", form)
        if limited:
            return limited
        if form.is_valid():
            try:
                user = services.auth_login(**form.cleaned_data)
            except AccountLocked:
                context["locked_message"] = notices.account_locked_page()
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                login(request, user, backend=BACKEND)
                messages.success(request, notices.welcome_back(user))
                return redirect(next_url or "home")
    return render(request, "marketplace/login.html", context)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, notices.SIGNED_OUT)
    return redirect("home")


@require_http_methods(["GET", "POST"])
def password_forgot(request):
    form = forms.ForgotPasswordForm(request.POST or None)
    if request.method == "POST":
        limited = _rate_limited(request, "forgot-password", "marketplace/password_forgot.html", form)
        if limited:
            return limited
        if form.is_valid():
            services.password_reset_request(email=form.cleaned_data["email"])
            return render(request, "marketplace/password_forgot_sent.html",
                          {"lifetime": notices.reset_link_lifetime()})
    return render(request, "marketplace/password_forgot.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset(request, token):
    form = forms.ResetPasswordForm(request.POST or None)
    if request.method == "POST":
        limited = _rate_limited(request, "reset-password", "marketplace/password_reset.html", form)
        if limited:
            return limited
        if form.is_valid():
            try:
                services.password_reset_confirm(token=token, password=form.cleaned_data["password"])
            except InvalidToken:
                return render(request, "marketplace/token_invalid.html", status=400)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, notices.PASSWORD_RESET_DONE)
                return redirect("marketplace:login")
    return render(request, "marketplace/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify_email(request, token):
    """GET shows a confirm button (mail scanners follow links; only a POST uses the token)."""
    if request.method == "POST":
        try:
            services.email_verify(token=token)
        except InvalidToken:
            return render(request, "marketplace/token_invalid.html", status=400)
        messages.success(request, notices.EMAIL_VERIFIED_PAGE)
        return redirect("marketplace:settings" if request.user.is_authenticated else "marketplace:login")
    return render(request, "marketplace/verify_email.html")


@login_required
@require_POST
def verification_resend(request):
    services.email_verification_send(user=request.user)
    messages.info(request, notices.VERIFICATION_SENT)
    return redirect("marketplace:settings")


def _settings_context(request, **forms_in_error):
    user = request.user
    context = {
        "profile_form": forms.ProfileForm(initial={"name": user.name, "phone": user.phone}),
        "password_form": forms.ChangePasswordForm(),
        "preferences_form": forms.NotificationPreferencesForm(
            initial=notification_selectors.preferences_for(user=user)),
        "delete_form": forms.DeleteAccountForm(),
    }
    context.update(forms_in_error)
    return context


@login_required
@require_http_methods(["GET"])
def account_settings(request):
    return render(request, "marketplace/settings.html", _settings_context(request))


def _settings_post(request, form_name: str, form, action, success: str):
    """One settings section: validate, run the service, then back to the settings page with a
    message, or the page again with this section's errors (the service's status, else 400)."""
    status = 400
    if form.is_valid():
        try:
            response = action(form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = status_for_domain_error(exc)
        else:
            if success:
                messages.success(request, success)
            return response if isinstance(response, HttpResponse) else redirect("marketplace:settings")
    return render(request, "marketplace/settings.html", _settings_context(request, **{form_name: form}),
                  status=status)


@login_required
@require_POST
def settings_profile(request):
    return _settings_post(request, "profile_form", forms.ProfileForm(request.POST),
                          lambda data: services.user_update_profile(user=request.user, **data),
                          notices.PROFILE_SAVED)


@login_required
@require_POST
def settings_password(request):
    def change(data):
        services.user_change_password(user=request.user, current_password=data["current_password"],
                                      new_password=data["new_password"])
        request.user.refresh_from_db()
        update_session_auth_hash(request, request.user)

    return _settings_post(request, "password_form", forms.ChangePasswordForm(request.POST), change,
                          notices.PASSWORD_CHANGED_PAGE)


@login_required
@require_POST
def settings_notifications(request):
    return _settings_post(request, "preferences_form", forms.NotificationPreferencesForm(request.POST),
                          lambda data: notification_services.preferences_update(user=request.user, **data),
                          notices.PREFERENCES_SAVED)


@login_required
@require_POST
def settings_delete(request):
    def delete(data):
        services.user_delete_account(user=request.user, password=data["password"])
        logout(request)
        messages.info(request, notices.ACCOUNT_DELETED)
        return redirect("home")

    return _settings_post(request, "delete_form", forms.DeleteAccountForm(request.POST), delete, "")


@login_required
@require_http_methods(["GET"])
def data_export(request):
    response = JsonResponse(selectors.user_data_export(user=request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="cleanit-my-data.json"'
    return response


@cleaner_required()
@require_http_methods(["GET", "POST"])
def kyc(request):
    current = selectors.kyc_of(user=request.user)
    form = forms.KYCForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.kyc_submit(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = status_for_domain_error(exc)
        else:
            messages.success(request, notices.KYC_SUBMITTED)
            return redirect("marketplace:kyc")
    return render(request, "marketplace/kyc.html", {"form": form, "kyc": current}, status=status)


@cleaner_required()
@require_http_methods(["GET"])
def earnings(request):
    return render(request, "marketplace/earnings.html", {
        "earnings": payment_selectors.earnings_for(user=request.user),
        "kyc": selectors.kyc_of(user=request.user)})
