from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cleanit.api.exceptions import status_for_domain_error
from cleanit.api.throttling import auth_throttle_wait
from cleanit.errors import DomainError
from cleanit.forms import apply_domain_error
from cleanit.response_cache import public_page
from cleanit.views import render_not_found
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from payments import selectors as payment_selectors

from . import forms, hooks, notices, rules, selectors, services
from .decorators import cleaner_required
from .errors import AccountLocked, InvalidToken, ProfileRequired, ServiceNotFound

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
                return redirect(next_url or _after_login(request, user))
    return render(request, "marketplace/login.html", context)


def _after_login(request, user) -> str:
    """Home, or for a cleaner without a profile yet its form (customers cannot find them before)."""
    if user.is_cleaner and _profile_of(user) is None:
        messages.info(request, notices.CREATE_CLEANER_PROFILE)
        return "marketplace:cleaner_profile_edit"
    return "home"


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


# --- find cleaners and a cleaner's profile (anyone) -----------------------------------------------

CLEANERS_PAGE_SIZE = 12


def _near_of_person(filter_form, filters):
    """The search's point when it is the person's own location (not a city's centre)."""
    return filters["near"] if filters["near"] is not None and filter_form.cleaned_data.get("lat") else None


def _near_text(filter_form, filters) -> str:
    near = filters["near"]
    if near is None:
        return ""
    if _near_of_person(filter_form, filters):
        return notices.within_of_you(near.radius_km)
    return notices.within_of_city(near.radius_km, " ".join(filter_form.cleaned_data["city"].split()).title())


@require_GET
@public_page
def cleaner_find(request):
    """Find cleaners: a GET form over marketplace.selectors.search_filters; input it refuses is shown on
    the form (400) above the unfiltered list."""
    filter_form = forms.CleanerSearchForm(request.GET or None)
    filters, status = None, 200
    query = filter_form.search_query() if filter_form.is_bound else {}
    if query is not None:
        try:
            filters = selectors.search_filters(**query)
        except DomainError as exc:
            filter_form.refused(exc)
    if filters is None:
        filters, status = selectors.search_filters(), 400
    page = Paginator(selectors.cleaner_search(**filters), CLEANERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "marketplace/cleaners/find.html", {
        "filter_form": filter_form, "page": page, "cities": selectors.cleaner_cities(),
        "near_text": _near_text(filter_form, filters), "near_of_person": _near_of_person(filter_form, filters),
        "searched": filter_form.is_bound,
    }, status=status)


def _is_listed(profile) -> bool:
    """Customers find this cleaner in searches (marketplace.selectors.listed decides)."""
    return selectors.listed().filter(pk=profile.pk).exists()


def _slots_context(request, profile) -> tuple[dict, int]:
    """The free-times form and, once a service or a date is sent, its outcome."""
    today = timezone.localdate()
    slots_form = forms.SlotsForm(request.GET if {"service_id", "date"} & set(request.GET) else None,
                                 services=profile.active_services, first_date=today,
                                 last_date=today + timedelta(days=rules.SLOT_HORIZON_DAYS))
    context, status = {"slots_form": slots_form, "slots": None}, 200
    if slots_form.is_bound and slots_form.is_valid():
        try:
            day_slots = selectors.slots_for(cleaner_id=profile.pk, **slots_form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(slots_form, exc)
            status = 400
        else:
            context.update(slots=day_slots.slots, slot_date=day_slots.date, slot_service=day_slots.service)
    return context, status


REVIEWS_PAGE_SIZE = 10  # reviews shown per page of a cleaner's profile, newest first


@require_GET
@public_page
def cleaner_profile(request, cleaner_id):
    """A cleaner's profile, shown as the API shows it (selectors.cleaner_get decides: suspended, deleted
    and unknown cleaners are 404), with the free-times form: a plain GET of this page, or htmx swapping in
    only the outcome. A cleaner not listed in searches is told so on their own page."""
    try:
        profile = selectors.cleaner_get(cleaner_id=cleaner_id)
    except DomainError:
        return render_not_found(request, notices.CLEANER_NOT_FOUND)
    is_own = request.user.is_authenticated and profile.user_id == request.user.pk
    context, status = _slots_context(request, profile)
    # Book links for customers, and for visitors (the Book page asks them to log in, then comes back).
    can_book = not request.user.is_authenticated or request.user.is_customer
    context.update(cleaner=profile, is_own=is_own, can_book=can_book,
                   listed=_is_listed(profile), not_listed=notices.NOT_SEARCHABLE_YET)
    if request.headers.get("HX-Request"):
        # htmx swaps 2xx answers only: the refusal is shown in place, like the plain page shows it (400).
        response = render(request, "marketplace/cleaners/_slots.html", context)
    else:
        reviews = Paginator(hooks.reviews_of(profile), REVIEWS_PAGE_SIZE).get_page(request.GET.get("reviews_page"))
        context.update(services=profile.active_services, reviews=reviews,
                       response_time=notices.response_time(profile.average_response_seconds),
                       cancellation_rate=notices.cancellation_rate(profile.cancellation_rate))
        response = render(request, "marketplace/cleaners/profile.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- the cleaner dashboard (cleaners only) --------------------------------------------------------

def _profile_of(user):
    try:
        return services.own_profile(user)
    except ProfileRequired:
        return None


def _profile_or_create(view):
    """Dashboard pages that need the profile: before it exists, the cleaner is sent to create it."""
    @wraps(view)
    @cleaner_required()
    def wrapper(request, *args, **kwargs):
        profile = _profile_of(request.user)
        if profile is None:
            messages.info(request, notices.CREATE_CLEANER_PROFILE)
            return redirect("marketplace:cleaner_profile_edit")
        return view(request, profile, *args, **kwargs)

    return wrapper


def _week(ranges) -> list[dict]:
    by_day = {day: [] for day in range(len(rules.WEEKDAYS))}
    for schedule_range in ranges:
        by_day[schedule_range.weekday].append(schedule_range)
    return [{"number": day, "name": name, "ranges": by_day[day]} for day, name in enumerate(rules.WEEKDAYS)]


@cleaner_required()
@require_GET
def cleaner_dashboard(request):
    profile = _profile_of(request.user)
    context = {"profile": profile, "kyc": selectors.kyc_of(user=request.user),
               "create_prompt": notices.CREATE_CLEANER_PROFILE, "not_searchable": notices.NOT_SEARCHABLE_YET}
    if profile is not None:
        context.update(services=selectors.packages_of(profile=profile), listed=_is_listed(profile),
                       week=_week(selectors.schedule_of(profile=profile)),
                       sections=hooks.dashboard_sections(request, profile))  # bookings' requests and upcoming
    return render(request, "marketplace/cleaners/dashboard.html", context)


@cleaner_required()
@require_http_methods(["GET", "POST"])
def cleaner_profile_edit(request):
    """Create the profile (every field), or change it (only the fields the cleaner changed, so a rate in
    paise is not rounded to the form's whole rupees)."""
    profile = _profile_of(request.user)
    initial = forms.CleanerProfileForm.initial_for(profile) if profile else {}
    form = forms.CleanerProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.profile_data(only=form.changed_data if profile else None)
            try:
                _, created = services.profile_save(user=request.user, **data)
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = status_for_domain_error(exc)
            else:
                messages.success(request, notices.PROFILE_CREATED if created else notices.PROFILE_SAVED)
                return redirect("marketplace:cleaner_dashboard")
    return render(request, "marketplace/cleaners/profile_form.html", {"form": form, "profile": profile},
                  status=status)


@cleaner_required()
@require_POST
def cleaner_availability(request):
    """The availability toggle: a plain form post back to the dashboard, or htmx swapping the toggle."""
    form = forms.AvailabilityForm(request.POST)
    form.is_valid()
    try:
        profile = services.availability_set(user=request.user, is_available=form.cleaned_data["is_available"])
    except ProfileRequired:
        messages.info(request, notices.CREATE_CLEANER_PROFILE)
        return redirect("marketplace:cleaner_profile_edit")
    message = notices.AVAILABLE_ON if profile.is_available else notices.AVAILABLE_OFF
    if request.headers.get("HX-Request"):
        return render(request, "marketplace/cleaners/_availability.html",
                      {"profile": profile, "availability_message": message})
    messages.success(request, message)
    return redirect("marketplace:cleaner_dashboard")


def _render_service_form(request, form, service=None, status=200):
    return render(request, "marketplace/cleaners/service_form.html", {"form": form, "service": service},
                  status=status)


@_profile_or_create
@require_http_methods(["GET", "POST"])
def cleaner_service_add(request, profile):
    form = forms.ServicePackageForm(request.POST or None)
    if request.method == "GET":
        return _render_service_form(request, form)
    status = 400
    if form.is_valid():
        try:
            services.package_create(user=request.user, **form.package_data())
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = status_for_domain_error(exc)
        else:
            messages.success(request, notices.PACKAGE_CREATED)
            return redirect("marketplace:cleaner_dashboard")
    return _render_service_form(request, form, status=status)


def _own_service(view):
    """Service pages: another cleaner's service, or an unknown id, is a 404 page."""
    @wraps(view)
    @_profile_or_create
    def wrapper(request, profile, service_id):
        try:
            service = services.own_package(user=request.user, package_id=service_id)
        except ServiceNotFound as exc:
            return render_not_found(request, exc.message)
        return view(request, service)

    return wrapper


@_own_service
@require_http_methods(["GET", "POST"])
def cleaner_service_edit(request, service):
    form = forms.ServicePackageForm(request.POST or None, initial=forms.ServicePackageForm.initial_for(service))
    if request.method == "GET":
        return _render_service_form(request, form, service)
    status = 400
    if form.is_valid():
        try:
            services.package_update(user=request.user, package_id=service.pk,
                                    **form.package_data(only=form.changed_data))
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = status_for_domain_error(exc)
        else:
            messages.success(request, notices.PACKAGE_UPDATED)
            return redirect("marketplace:cleaner_dashboard")
    return _render_service_form(request, form, service, status=status)


@_own_service
@require_http_methods(["GET", "POST"])
def cleaner_service_delete(request, service):
    """GET asks; POST deletes, or deactivates a service with bookings, and says which."""
    if request.method == "GET":
        return render(request, "marketplace/cleaners/service_delete.html", {"service": service})
    outcome, _ = services.package_delete(user=request.user, package_id=service.pk)
    messages.success(request, notices.PACKAGE_DELETED if outcome == services.DELETED else notices.PACKAGE_DEACTIVATED)
    return redirect("marketplace:cleaner_dashboard")


def _schedule_days(data, ranges) -> list[dict]:
    """One formset per weekday (prefix day0..day6), holding that day's ranges and one empty row."""
    days = _week(ranges)
    for day in days:
        initial = [{"start": rules.clock(r.start_minute), "end": rules.clock(r.end_minute)} for r in day["ranges"]]
        day["formset"] = forms.ScheduleDayFormSet(data, initial=initial, prefix=f"day{day['number']}")
    return days


def _with_a_row_more(data):
    data = data.copy()
    for day in range(len(rules.WEEKDAYS)):
        total = f"day{day}-TOTAL_FORMS"
        if data.get(total, "").isdigit():
            data[total] = str(int(data[total]) + 1)
    return data


def _schedule_save(request, days) -> tuple[bool, list[str]]:
    """Send the week's ranges to schedule_set: (saved, messages for the top of the page). Its refusals go
    back on the rows they name (``ranges.<index>.<field>``)."""
    ranges, rows = [], []
    for day in days:
        deleted = day["formset"].deleted_forms
        for form in day["formset"]:
            if form in deleted or form.is_blank:
                continue
            ranges.append({"weekday": day["number"], "start": form.cleaned_data["start"],
                           "end": form.cleaned_data["end"]})
            rows.append(form)
    try:
        services.schedule_set(user=request.user, ranges=ranges)
    except DomainError as exc:
        return False, forms.ScheduleRangeForm.place_errors(exc, rows)
    return True, []


@_profile_or_create
@require_http_methods(["GET", "POST"])
def cleaner_schedule(request, profile):
    ranges = selectors.schedule_of(profile=profile)
    data = request.POST if request.method == "POST" else None
    adding_rows = data is not None and "add_rows" in data
    days = _schedule_days(_with_a_row_more(data) if adding_rows else data, ranges)
    schedule_errors, status = [], 200
    if data is not None and not adding_rows:
        status = 400
        if all(day["formset"].is_valid() for day in days):
            saved, schedule_errors = _schedule_save(request, days)
            if saved:
                messages.success(request, notices.SCHEDULE_SAVED)
                return redirect("marketplace:cleaner_dashboard")
    return render(request, "marketplace/cleaners/schedule.html", {"days": days, "schedule_errors": schedule_errors},
                  status=status)
