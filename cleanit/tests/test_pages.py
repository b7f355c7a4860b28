import re

import pytest
from django.urls import reverse

from marketplace.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "marketplace:signup", "marketplace:login", "marketplace:password_forgot"]
PRIVATE_PAGES = ["marketplace:settings", "notifications:list"]
EXTERNAL = re.compile(r'(?:src|href)="(?:https?:)?//', re.I)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_render_without_external_assets(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert not EXTERNAL.search(response.content.decode())


@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_private_pages_need_login_and_have_no_external_assets(client, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200
    content = response.content.decode()
    assert not EXTERNAL.search(content)
    assert "notification-bell" in content and "(account menu)" in content


def test_base_layout_loads_vendored_assets(client):
    content = client.get(reverse("home")).content.decode()
    assert "vendor/htmx-2.0.11.min.js" in content and "vendor/pico-2.1.1.jade.min.css" in content
    assert 'lang="en-IN"' in content and 'href="#main"' in content


def test_html_404_page(client):
    response = client.get("/no/such/page/?q=<script>x</script>")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "<title>Error 404 · Cleanit</title>" in content and "<h1>Not found.</h1>" in content
    assert 'href="#main"' in content and "notification-bell" not in content  # the site layout, signed out
    assert "<script>x</script>" not in content and "Traceback" not in content


def test_home_page_title_is_text_and_campaigns_appear_once(client):
    from campaigns.tests.factories import CampaignFactory

    CampaignFactory(status="active", title="Clean the Juhu beach front")
    content = client.get(reverse("home")).content.decode()
    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    assert "<" not in title and title.strip() == "Clean homes, clean neighbourhoods · Cleanit"
    assert content.count('id="needs-funding"') == 1 and content.count('class="campaign-card"') == 1


def test_favicon_redirects_to_the_logo(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url.endswith("img/logo.svg")


def test_the_home_page_searches_cleaners_by_city(client):
    content = client.get(reverse("home")).content.decode()
    assert "coming soon" not in content
    assert re.search(r'<form method="get" action="/cleaners/"[^>]*>.*?<input type="text" id="home-city" name="city"',
                     content, re.S)
