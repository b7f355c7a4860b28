"""Signing in, as the browser tests do it (through the real forms)."""

from playwright.sync_api import expect

PASSWORD = "Str0ng!Pass"  # marketplace.tests.factories.PASSWORD


def log_in(page, base, user):
    page.goto(f"{base}/account/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("summary", has_text="account menu")).to_be_visible()


def admin_log_in(page, base, admin, next_path="/admin/"):
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.get_by_label("E-mail address").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
