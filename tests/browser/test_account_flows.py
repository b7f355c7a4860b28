"""Critical account flows in a real Chromium (Debian's), driven by Playwright against live_server."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from marketplace.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng!Pass"


def test_sign_up_log_in_read_welcome_notification_log_out(live_server, page):
    page.goto(f"{live_server.url}/account/signup/")
    page.get_by_label("Name").fill("Meera Iyer")
    page.get_by_label("E-mail").fill("meera@example.in")
    page.get_by_label("Mobile number").fill("+91 98765 43210")
    page.get_by_label("book cleaners and support campaigns").check()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I accept the terms").check()
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(re.compile(r"/account/login/$"))
    expect(page.get_by_role("status").first).to_contain_text("Your account is ready")
    page.get_by_label("E-mail").fill("meera@example.in")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    bell = page.locator("#notification-bell")
    expect(bell.get_by_test_id("unread-count")).to_have_text("1")
    bell.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    item = page.locator(".notification").filter(has_text="Welcome to Cleanit, Meera!")
    expect(item).to_have_class(re.compile("unread"))
    page.evaluate("window.noReloadMarker = true")
    item.get_by_role("button", name="Mark read").click()
    # htmx swaps the item in place and the bell refreshes itself without a page load.
    expect(item).not_to_have_class(re.compile("unread"))
    expect(page.locator("#notification-bell").get_by_test_id("unread-count")).to_have_count(0)
    assert page.evaluate("window.noReloadMarker") is True

    page.locator("summary", has_text="account menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("status").first).to_contain_text("You are signed out")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    page.goto(f"{live_server.url}/notifications/")
    expect(page).to_have_url(re.compile(r"/account/login/\?next="))


def test_password_reset_through_the_emailed_link(live_server, page):
    user = UserFactory(email="ravi@example.in")
    page.goto(f"{live_server.url}/account/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/account/password/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("/account/", 1)[1]
    page.goto(f"{live_server.url}/account/{path}")
    page.get_by_label("New password", exact=True).fill("Brand!New9")
    page.get_by_label("Repeat new password").fill("Brand!New9")
    page.get_by_role("button", name="Set new password").click()

    expect(page).to_have_url(re.compile(r"/account/login/$"))
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("Brand!New9")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("summary", has_text="account menu")).to_be_visible()

    # The link was single-use.
    page.goto(f"{live_server.url}/account/{path}")
    page.get_by_label("New password", exact=True).fill("Other!Pass9")
    page.get_by_label("Repeat new password").fill("Other!Pass9")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_lockout_message_in_the_browser(live_server, page):
    user = UserFactory(email="locked@example.in")
    page.goto(f"{live_server.url}/account/login/")
    for _ in range(5):
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("locked-message")).to_be_visible()
