from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cleanit.api.exceptions import status_for_domain_error
from cleanit.errors import DomainError, NotFound
from cleanit.forms import apply_domain_error
from cleanit.views import render_not_found
from marketplace import selectors as marketplace_selectors
from marketplace.decorators import cleaner_required

from . import forms, notices, selectors, services

PAGE_SIZE = 20


@cleaner_required(notices.FOR_CLEANERS)
@require_GET
def board(request):
    filter_form = forms.JobBoardForm(request.GET or None)
    filters, status = filter_form.filters(), 200
    if filters is None:  # the errors are on the form; the board is shown unfiltered under them
        filters, status = selectors.board_filters(), 400
    page = Paginator(selectors.jobs_board(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/board.html", {
        "page": page, "filter_form": filter_form, "near": filters["near"], "rules": notices.page_texts(),
        "kyc_verified": marketplace_selectors.kyc_is_verified(user=request.user)}, status=status)


@cleaner_required(notices.FOR_CLEANERS)
@require_GET
def mine(request):
    return render(request, "jobs/mine.html", {
        "jobs": selectors.jobs_of_cleaner(cleaner=request.user), "rules": notices.page_texts(),
        "stats": selectors.cleaner_stats(cleaner=request.user)})


@cleaner_required(notices.FOR_CLEANERS)
@require_GET
def detail(request, job_id):
    try:
        job = selectors.job_for_viewer(viewer=request.user, job_id=job_id)
    except NotFound as exc:
        return render_not_found(request, exc.message)
    return _render_detail(request, job)


def _render_detail(request, job, *, unclaim_form=None, complete_form=None, status=200):
    return render(request, "jobs/detail.html", {
        "job": job, "unclaim_form": unclaim_form or forms.UnclaimForm(),
        "complete_form": complete_form or forms.CompleteForm(), "rules": notices.page_texts(),
        "kyc_verified": marketplace_selectors.kyc_is_verified(user=request.user)}, status=status)


def _job_action(view):
    """Cleaners only; the job by id (the service decides who may act on it), or a 404 page."""
    @wraps(view)
    @cleaner_required(notices.FOR_CLEANERS)
    @require_POST
    def wrapper(request, job_id):
        try:
            job = selectors.job_get(job_id=job_id)
        except NotFound as exc:
            return render_not_found(request, exc.message)
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
    messages.success(request, notices.claimed_yours())
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
            messages.success(request, notices.GIVEN_BACK)
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
            status = status_for_domain_error(exc)
        else:
            messages.success(request, notices.COMPLETED_THANKS)
            return redirect("jobs:detail", job_id=job.pk)
    else:
        status = 400
    return _render_detail(request, job, complete_form=form, status=status)
