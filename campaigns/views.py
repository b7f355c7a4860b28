from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cleanit.api.exceptions import status_for_domain_error
from cleanit.errors import Conflict, DomainError, NotAllowed, NotFound
from cleanit.forms import apply_domain_error
from cleanit.response_cache import public_page
from cleanit.views import render_not_found

from . import forms, notices, rules, selectors, services
from .models import Campaign

PAGE_SIZE = 12


@require_GET
@public_page
def campaign_list(request):
    filter_form = forms.CampaignFilterForm(request.GET or None,
                                           cities=selectors.campaign_cities(viewer=request.user))
    filters, status = filter_form.filters(), 200
    if filters is None:  # the errors are on the form; the list is shown unfiltered under them
        filters, status = selectors.list_filters(), 400
    campaigns = selectors.campaign_list(viewer=request.user, **filters)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaigns/list.html", {"page": page, "filter_form": filter_form, "near": filters["near"]},
                  status=status)


def _campaign_or_404(request, campaign_id):
    try:
        return selectors.campaign_for_viewer(viewer=request.user, campaign_id=campaign_id)
    except NotFound:
        return None


def _render_detail(request, campaign, contribute_form=None, status=200):
    refunds = selectors.campaign_refunds(campaign=campaign)
    return render(request, "campaigns/detail.html", {
        "campaign": campaign, "contribute_form": contribute_form or forms.ContributeForm(),
        "min_contribution_rupees": rules.MIN_CONTRIBUTION // 100,
        "my_contributions": selectors.contributions_to(campaign=campaign, user=request.user),
        "refunds": refunds, "refund_statement": notices.refund_statement(refunds) if refunds else "",
        "share_url": notices.share_url(campaign), "whatsapp_url": notices.whatsapp_share_url(campaign),
    }, status=status)


@require_GET
@public_page
def campaign_detail(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    if campaign is None:
        return render_not_found(request, notices.CAMPAIGN_NOT_FOUND)
    return _render_detail(request, campaign)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = forms.CampaignForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = services.campaign_create(creator=request.user, **_campaign_form_data(form.cleaned_data))
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = status_for_domain_error(exc)
            else:
                if campaign.status == Campaign.Status.DRAFT:
                    messages.success(request, notices.CREATED_WAITING_FOR_APPROVAL)
                else:
                    messages.success(request, notices.CREATED_LIVE)
                return redirect("campaigns:detail", campaign_id=campaign.pk)
        else:
            status = 400
    return render(request, "campaigns/create.html", {"form": form}, status=status)


def _campaign_form_data(cleaned_data: dict) -> dict:
    data = dict(cleaned_data)
    if data.get("target_amount") is not None:
        data["target_amount"] = data["target_amount"] * 100
    return data


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, campaign_id):
    """The creator corrects a draft; once approved (or for anyone else) the service refuses."""
    campaign = _campaign_or_404(request, campaign_id)
    if campaign is None:
        return render_not_found(request, notices.CAMPAIGN_NOT_FOUND)
    try:
        services.campaign_check_editable(campaign=campaign, user=request.user)
    except DomainError as exc:
        return _edit_refused(request, campaign, exc)
    initial = {name: getattr(campaign, name) for name in forms.CampaignEditForm.base_fields if name != "photo"}
    initial["target_amount"] = campaign.target_amount // 100
    form = forms.CampaignEditForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # Only what the person changed: a target stored in paise is not rounded to the form's rupees.
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                services.campaign_update(campaign=campaign, user=request.user, **_campaign_form_data(changed))
            except (NotAllowed, Conflict) as exc:
                return _edit_refused(request, campaign, exc)
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = status_for_domain_error(exc)
            else:
                messages.success(request, notices.UPDATED_WAITING_FOR_APPROVAL)
                return redirect("campaigns:detail", campaign_id=campaign.pk)
        else:
            status = 400
    return render(request, "campaigns/edit.html", {"form": form, "campaign": campaign}, status=status)


def _edit_refused(request, campaign, exc: DomainError):
    if isinstance(exc, NotAllowed):
        return render(request, "errors/403.html", {"message": exc.message}, status=403)
    messages.error(request, exc.message)
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
@require_POST
def contribute(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    if campaign is None:
        return render_not_found(request, notices.CAMPAIGN_NOT_FOUND)
    form = forms.ContributeForm(request.POST)
    if form.is_valid():
        try:
            contribution = services.contribution_start(campaign=campaign, contributor=request.user,
                                                       amount=form.cleaned_data["amount"] * 100)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("payments:checkout", payment_id=contribution.payment.pk)
    return _render_detail(request, campaign, contribute_form=form, status=400)


@login_required
@require_POST
def cancel(request, campaign_id):
    campaign = _campaign_or_404(request, campaign_id)
    if campaign is None:
        return render_not_found(request, notices.CAMPAIGN_NOT_FOUND)
    try:
        services.campaign_cancel_by_creator(campaign=campaign, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, notices.CANCELLED_BY_YOU)
    return redirect("campaigns:detail", campaign_id=campaign.pk)


@login_required
@require_GET
def mine(request):
    return render(request, "campaigns/mine.html", {
        "campaigns": selectors.campaigns_created_by(user=request.user),
        "contributions": selectors.contributions_by(user=request.user),
    })
