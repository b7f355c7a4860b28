"""The Django admin with room for dashboards: apps register staff-only pages (financial overview,
SLA panel...) that appear on the admin index and get the admin's look and permissions."""

import functools
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from cleanit.errors import DomainError
from cleanit.money import format_inr


class CleanitAdminSite(admin.AdminSite):
    site_header = "Cleanit administration"
    site_title = "Cleanit admin"
    index_title = "Operations"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dashboards: list[tuple[str, str, object]] = []
        self._glances: list = []

    def register_dashboard(self, slug: str, title: str, view) -> None:
        self._dashboards.append((slug, title, view))

    def register_glance(self, figures) -> None:
        """``figures()`` returns ``[(label, value, url or "", alert: bool)]`` for the admin index."""
        self._glances.append(figures)

    def index(self, request, extra_context=None):
        glance = [figure for figures in self._glances for figure in figures()]
        return super().index(request, {**(extra_context or {}), "glance": glance})

    def get_urls(self):
        dashboards = [path(f"dashboards/{slug}/", self.admin_view(view), name=f"dashboard_{slug.replace('-', '_')}")
                      for slug, _, view in self._dashboards]
        return dashboards + super().get_urls()

    def each_context(self, request):
        context = super().each_context(request)
        context["dashboards"] = [(f"admin:dashboard_{slug.replace('-', '_')}", title)
                                 for slug, title, _ in self._dashboards]
        return context


class CleanitAdminConfig(AdminConfig):
    default_site = "cleanit.admin_site.CleanitAdminSite"


@functools.cache
def inr_field(model, name: str):
    """An admin column or read-only field showing the model's paise field ``name`` in rupees, Indian
    grouping (₹1,23,456.00); sorted by the field. Cached: the admin compares fields by identity."""
    @admin.display(description=model._meta.get_field(name).verbose_name, ordering=name)
    def in_rupees(obj) -> str:
        return format_inr(getattr(obj, name))

    in_rupees.__name__ = name  # the column's CSS class, and its place among the model's fields
    return in_rupees


def rupee_help_text(model, name: str) -> str:
    """The help text of the paise field ``name`` for a page that shows it in rupees: without the unit it is
    stored in ("paise, paid to the cleaner" -> "paid to the cleaner"; a bare "paise" -> none)."""
    return re.sub(r"^paise\b[,;]?\s*", "", str(model._meta.get_field(name).help_text))


class RupeeFieldsMixin:
    """The paise fields named in ``rupee_fields`` are shown in rupees wherever the admin shows them: list
    columns, change pages, inlines (never "171000"), with their help text saying nothing of paise. Money
    changes only through services, so these fields are always read-only here."""

    rupee_fields: tuple[str, ...] = ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A read-only field's help text is looked up by its name: the form's help_texts come first.
        help_texts = {name: rupee_help_text(self.model, name) for name in self.rupee_fields}
        kwargs["help_texts"] = {**help_texts, **(kwargs.get("help_texts") or {})}
        return super().get_form(request, obj, change, **kwargs)

    def _in_rupees(self, names) -> list:
        return [inr_field(self.model, name) if name in self.rupee_fields else name for name in names]

    def get_list_display(self, request):
        return self._in_rupees(super().get_list_display(request))

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *self.rupee_fields]

    def get_readonly_fields(self, request, obj=None):
        readonly = self._in_rupees(super().get_readonly_fields(request, obj))
        return [*readonly, *(inr_field(self.model, name) for name in self.rupee_fields
                             if inr_field(self.model, name) not in readonly)]

    def get_fields(self, request, obj=None):
        fields = self._in_rupees(super().get_fields(request, obj))
        if self.fields:
            return fields
        # Django lists read-only fields after the form's: keep the model's order, so the money stays in place.
        order = {field.name: index for index, field in enumerate(self.model._meta.fields)}
        return sorted(fields, key=lambda field: order.get(getattr(field, "__name__", field), len(order)))


class ReadOnlyInline(RupeeFieldsMixin, admin.TabularInline):
    """History shown under an object (audit entries, reviews): listed, never edited here.
    Subclasses set ``model`` and ``fields``."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(RupeeFieldsMixin, admin.ModelAdmin):
    """Records that only services write: listed and viewed here, changed through admin actions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def apply_each(modeladmin, request, queryset, *, apply, done_message: str) -> int:
    """Run an admin action's service call per object: ``apply(obj)`` returns True when it changed the
    object; a DomainError is shown for that object and the others go on. ``done_message`` may use {done}."""
    done = 0
    for obj in queryset:
        try:
            done += bool(apply(obj))
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.WARNING)
    modeladmin.message_user(request, done_message.format(done=done), messages.SUCCESS if done else messages.WARNING)
    return done


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=255, widget=forms.TextInput(attrs={"size": 60}))


def confirm_with_reason(modeladmin, request, queryset, *, action: str, title: str, apply) -> HttpResponse | None:
    """An admin action that first asks for a reason, then calls ``apply(obj, reason)`` per object.
    ``apply`` returns True when it changed the object and may raise a DomainError (shown, not fatal)."""
    if "apply" in request.POST:
        form = ReasonForm(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            apply_each(modeladmin, request, queryset, apply=lambda obj: apply(obj, reason),
                       done_message=f"{title}: {{done}} done.")
            return None
    else:
        form = ReasonForm()
    return render(request, "admin/reason_form.html", {
        **modeladmin.admin_site.each_context(request), "title": title, "objects": queryset, "form": form,
        "action": action, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "opts": modeladmin.model._meta,
    })
