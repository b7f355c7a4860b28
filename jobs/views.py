from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cleanit.errors import DomainError, NotFound, TooLarge, UnsupportedMedia
from cleanit.forms import apply_domain_error
from marketplace import selectors as marketplace_selectors
from marketplace.decorators import cleaner_required

from . import forms, selectors, services

PAGE_SIZE = 20
FOR_CLEANERS = "The jobs board is for cleaners."


def _not_found(request):
    return render(request, "errors/404.html", {"message": "Job not found."}, status=404)


@cleaner_required(FOR_CLEANERS)
@require_GET
def board(request):
    sort = request.GET.get("sort", "newest")
    page = Paginator(selectors.jobs_board(sort=sort), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/board.html", {
        "page": page, "sort": sort, "sorts": selectors.SORTS,
        "kyc_verified": marketplace_selectors.kyc_is_verified(user=request.user)})


@cleaner_required(FOR_CLEANERS)
@require_GET
def mine(request):
    return render(request, "jobs/mine.html", {
        "jobs": selectors.jobs_of_cleaner(cleaner=request.user),
        "stats": selectors.cleaner_stats(cleaner=request.user)})


@login_required
@require_GET
def detail(request, job_id):
    if not (request.user.is_cleaner or request.user.is_staff):
        return render(request, "errors/403.html", {"message": FOR_CLEANERS}, status=403)
    try:
        job = selectors.job_for_viewer(viewer=request.user, job_id=job_id)
    except NotFound:
        return _not_found(request)
    return _render_detail(request, job)


def _render_detail(request, job, *, unclaim_form=None, complete_form=None, status=200):
    return render(request, "jobs/detail.html", {
        "job": job, "unclaim_form": unclaim_form or forms.UnclaimForm(),
        "complete_form": complete_form or forms.CompleteForm(),
        "kyc_verified": marketplace_selectors.kyc_is_verified(user=request.user)}, status=status)


def _job_action(view):
    """Cleaners only; the job by id (the service decides who may act on it), or a 404 page."""
    @wraps(view)
    @cleaner_required(FOR_CLEANERS)
    @require_POST
    def wrapper(request, job_id):
        try:
            job = selectors.job_get(job_id=job_id)
        except NotFound:
            return _not_found(request)
        return view(request, job)

    return wrapper


@_job_action
def claim(request, job):
    """A plain form post, or htmx swapping the claim button for the outcome."""
    error = None
    try:
        job = services.job_claim(job=job, cleaner=request.user)
    except DomainError as exc:
        error = exc
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_claim_result.html", {"job": job, "error": error})
    if error:
        messages.error(request, error.message)
        return redirect("jobs:board")
    messages.success(request, "The job is yours. Complete it within 7 days.")
    return redirect("jobs:detail", job_id=job.pk)


@_job_action
def unclaim(request, job):
    form = forms.UnclaimForm(request.POST)
    if form.is_valid():
        try:
            services.job_unclaim(job=job, cleaner=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, "You gave the job back. Thank you for letting us know early.")
            return redirect("jobs:mine")
    return _render_detail(request, job, unclaim_form=form, status=400)


@_job_action
def complete(request, job):
    form = forms.CompleteForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            job = services.job_complete(job=job, cleaner=request.user, photo=form.cleaned_data["photo"])
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = 413 if isinstance(exc, TooLarge) else 415 if isinstance(exc, UnsupportedMedia) else 400
        else:
            messages.success(request, "Thank you! An admin will verify the photo; you are paid after approval.")
            return redirect("jobs:detail", job_id=job.pk)
    else:
        status = 400
    return _render_detail(request, job, complete_form=form, status=status)
