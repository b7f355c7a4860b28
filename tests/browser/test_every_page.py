"""Every page of the site, on the demo data, as each demo account and as a visitor, at phone width:
no link leads to a page the person may not open (403/404), no page scrolls sideways at 390 px, and axe-core
finds no critical or serious violation (nor a heading-order jump, nor an id reference to nothing), in the
pages as they load and in the main forms' error states."""

import io

import pytest
from django.core.management import call_command

from .walk import PHONE, Visit, check_page, form_errors_visit, walk_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Who walks, from where, and which forms they send empty. Error pages are opened on purpose.
PEOPLE = {
    "visitor": {"forms": ["/account/signup/", "/account/login/", "/account/password/forgot/"],
                "also": ["/no-such-page/"]},
    "customer": {"forms": ["/campaigns/new/", "/account/settings/"], "also": ["/jobs/mine/"]},
    "cleaner": {"forms": ["/account/kyc/"], "also": []},
    "sunita": {"forms": [], "also": []},
    "newcleaner": {"forms": [], "also": []},
    "admin": {"forms": [], "also": []},
}
# A walk shorter than this did not get past the first pages (a broken sign-in, say).
MIN_PAGES = {"visitor": 10, "customer": 15, "cleaner": 20, "sunita": 15, "newcleaner": 12, "admin": 10}


@pytest.fixture
def demo_site(settings):
    settings.DEBUG = True  # load_demo_data is for development only and refuses otherwise
    call_command("load_demo_data", stdout=io.StringIO())
    settings.DEBUG = False
    return settings.DEMO_PASSWORD


def demo_log_in(page, base, who, password):
    page.goto(f"{base}/account/login/")
    page.get_by_label("E-mail").fill(f"{who}@demo.cleanit.in")
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert page.locator("summary", has_text="account menu").is_visible(), f"{who} could not sign in"


def opened_on_purpose(page, base, path) -> Visit:
    page.set_viewport_size(PHONE)
    response = page.goto(base + path)
    visit = Visit(path=f"{path} (opened directly)", status=response.status)
    visit.width, visit.violations = check_page(page)
    return visit


@pytest.mark.parametrize("who", list(PEOPLE))
def test_every_page_as_each_person(who, demo_site, live_server, browser):
    base = live_server.url
    page = browser.new_context().new_page()
    if who != "visitor":
        demo_log_in(page, base, who, demo_site)

    walk = walk_site(page, base, ["/"])
    assert len(walk.visits) >= MIN_PAGES[who], [v.path for v in walk.visits]
    dead_ends = walk.dead_ends()

    extra = [opened_on_purpose(page, base, path) for path in PEOPLE[who]["also"]]
    extra += [form_errors_visit(page, base, path) for path in PEOPLE[who]["forms"]]
    walk.visits.extend(extra)

    assert not dead_ends, f"links {who} may not open:\n" + "\n".join(dead_ends)
    assert not walk.too_wide(), f"pages wider than {PHONE['width']} px:\n" + "\n".join(walk.too_wide())
    assert not walk.accessibility(), "accessibility:\n" + "\n".join(walk.accessibility())
