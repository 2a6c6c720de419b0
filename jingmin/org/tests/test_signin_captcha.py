"""After SIGNIN_CAPTCHA_AFTER failures from one client address the sign-in page asks for the image
sum (django-simple-captcha, the portal's): without it, or with a wrong answer, the password is not
even looked at and nothing more is counted; with it the right password signs in."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from jingmin.audit.models import AuditEntry
from jingmin.portal.tests.conftest import captcha_answer

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.4"


def attempt(client, username, password, **extra):
    return client.post(reverse("org:signin"), {"username": username, "password": password, **extra})


@pytest.fixture
def after_three_failures(persona, settings):
    settings.SIGNIN_CAPTCHA_AFTER = 3
    client = Client(REMOTE_ADDR=ADDRESS)
    answers = [attempt(client, name, "wrong-Pass#1") for name in ("nobody", "oliver", "someone")]
    # The first two answers have no picture; the third, the failure that reaches the threshold, has.
    assert ["captcha" in r.context["form"].fields for r in answers] == [False, False, True]
    return client


def test_the_page_asks_for_the_sum_from_that_address_only(after_three_failures):
    page = after_three_failures.get(reverse("org:signin")).content.decode()
    assert 'name="captcha_1"' in page and "/captcha/image/" in page
    assert "请计算图中算式的结果" in page
    other = Client(REMOTE_ADDR="198.51.100.5").get(reverse("org:signin")).content.decode()
    assert 'name="captcha_1"' not in other


def test_without_the_sum_the_password_is_not_tried(after_three_failures, persona):
    failures = AuditEntry.objects.filter(action="org.signin_fail").count()
    response = attempt(after_three_failures, "oliver", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in after_three_failures.session
    assert "captcha" in response.context["form"].errors
    wrong = {**captcha_answer(response.content.decode()), "captcha_1": "999"}
    response = attempt(after_three_failures, "oliver", PASSWORD, **wrong)
    assert (
        "captcha" in response.context["form"].errors and "_auth_user_id" not in after_three_failures.session
    )
    assert AuditEntry.objects.filter(action="org.signin_fail").count() == failures


def test_with_the_sum_the_right_password_signs_in(after_three_failures, persona):
    page = after_three_failures.get(reverse("org:signin")).content.decode()
    response = attempt(after_three_failures, "oliver", PASSWORD, **captcha_answer(page))
    assert response.status_code == 302
    assert after_three_failures.session["_auth_user_id"] == str(persona.oliver.pk)


def test_with_the_sum_a_wrong_password_is_still_wrong(after_three_failures, persona):
    page = after_three_failures.get(reverse("org:signin")).content.decode()
    response = attempt(after_three_failures, "oliver", "wrong-Pass#1", **captcha_answer(page))
    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].non_field_errors()] == ["用户名或密码错误。"]
    # The next try asks for a new sum.
    assert "captcha" in response.context["form"].fields
