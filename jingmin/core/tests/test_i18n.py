"""Chinese by default, English on request, and the catalog covers the code."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_pages_are_chinese_by_default():
    page = Client().get(reverse("org:signin")).content.decode()
    assert 'lang="zh-CN"' in page
    assert "登录" in page and "Sign in to Jingmin" not in page


@pytest.mark.django_db
def test_english_switch_is_remembered():
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("org:signin")})
    assert response.status_code == 302
    page = client.get(reverse("org:signin")).content.decode()
    assert "Sign in to Jingmin" in page and 'lang="en"' in page


def test_catalog_is_complete():
    call_command("check_catalog")


@pytest.mark.django_db
def test_browser_language_does_not_override_chinese_default():
    page = Client(headers={"Accept-Language": "en-US,en;q=0.9"}).get(reverse("org:signin")).content.decode()
    assert 'lang="zh-CN"' in page
