"""The portal asks whether anyone is in danger now (call 110 first) and lets the citizen mark the
matter urgent; both reach the clerk as a suggested urgency."""

from __future__ import annotations

from django.urls import reverse

from jingmin.appeals.models import Appeal, Urgency
from jingmin.portal.tests.conftest import portal_post


def test_the_form_advises_calling_110_first(persona, citizen):
    html = citizen.get(reverse("portal:submit")).content.decode()
    assert 'href="tel:110"' in html
    assert html.index('id="danger-first"') < html.index('name="type"')
    assert 'name="in_danger"' in html and 'name="urgent"' in html


def test_someone_in_danger_suggests_an_emergency(persona, citizen):
    assert portal_post(citizen, in_danger="on").status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.urgency == Urgency.GENERAL
    assert appeal.urgency_suggested == Urgency.EMERGENCY


def test_a_matter_marked_urgent_suggests_urgent(persona, citizen):
    assert portal_post(citizen, urgent="on").status_code == 302
    assert Appeal.objects.get().urgency_suggested == Urgency.URGENT


def test_an_ordinary_matter_suggests_nothing(persona, citizen):
    assert portal_post(citizen).status_code == 302
    assert Appeal.objects.get().urgency_suggested == ""
