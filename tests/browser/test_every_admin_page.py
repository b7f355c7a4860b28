"""Every page of the project's Django admin (index with "At a glance", dashboards, change lists, one change
form per model) on the demo data: axe-core finds no critical or serious violation in the project's own
markup. Findings in Django's own admin templates and widgets, and in django-celery-beat's, are Django's and
that app's to fix; they are listed in docs/decisions.md and told apart here by rule and element."""

import io
import re

import pytest
from django.core.management import call_command

from .walk import DESKTOP, walk_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_OURS = (
    # Django's breadcrumbs: links told apart from the text around them by colour only.
    ("link-in-text-block", re.compile(r"^\.breadcrumbs > a")),
    # Django's filter_horizontal widget (SelectFilter2.js) puts aria-label on a <span> with no role.
    ("aria-prohibited-attr", re.compile(r"\.help-tooltip")),
    # Django's tabular inlines scroll sideways in a <div> that takes no keyboard focus.
    ("scrollable-region-focusable", re.compile(r"^#[\w-]+-group$")),
    # The same widget replaces the <select> its label points to with two boxes of other ids.
    ("missing-reference", re.compile(r"^label\[for=id_(groups|user_permissions)\]$")),
    # Django's read-only password widget names a help text id that its admin fieldset does not render.
    ("missing-reference", re.compile(r"^div\[aria-describedby=id_password_helptext\]$")),
)
THIRD_PARTY_PAGES = re.compile(r"^/admin/django_celery_beat/")


def ours(path: str, finding: str) -> bool:
    if THIRD_PARTY_PAGES.match(path):
        return False
    rule, _, targets = finding.partition(" -> ")
    rule_id = rule.split("] ", 1)[1].split(":", 1)[0]
    return any(not any(rule_id == known and pattern.search(target) for known, pattern in NOT_OURS)
               for target in targets.split(", "))


def test_every_admin_page(live_server, browser, settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())
    settings.DEBUG = False
    base = live_server.url
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.get_by_label("E-mail address").fill("admin@demo.cleanit.in")
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()

    walk = walk_site(page, base, ["/admin/"], admin=True, limit=200)
    page.set_viewport_size(DESKTOP)

    paths = [v.path for v in walk.visits]
    for needed in ("/admin/", "/admin/dashboards/verification-queue/", "/admin/dashboards/financial-overview/",
                   "/admin/campaigns/campaign/", "/admin/payments/payout/"):
        assert needed in paths, f"the walk did not reach {needed}"
    assert any(re.search(r"/change/$", p) for p in paths)
    assert not walk.dead_ends(), "\n".join(walk.dead_ends())
    findings = [(v.path, f"[{item['impact']}] {item['id']}: {item['help']} -> {', '.join(item['targets'])}")
                for v in walk.visits for item in v.violations]
    problems = [f"{path}: {finding}" for path, finding in findings if ours(path, finding)]
    assert not problems, "accessibility in the project's admin markup:\n" + "\n".join(problems)
