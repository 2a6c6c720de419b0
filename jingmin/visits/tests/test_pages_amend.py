"""Correcting a visit from its page: the author and the chief see the form, a colleague does
not; a correction adds news and keeps the first text readable; a refusal is shown in place."""

from __future__ import annotations

from django.urls import reverse

from conftest import make_user, signed_in
from jingmin.org.roles import Role
from jingmin.visits.models import VisitAmendment, VisitItem


def amend_data(**extra) -> dict[str, str]:
    data = {
        "amend-summary": "",
        "amend-reason": "补记走访时了解的情况",
        "amend_items-TOTAL_FORMS": "1",
        "amend_items-INITIAL_FORMS": "0",
        "amend_items-0-kind": "dispute",
        "amend_items-0-text": "与邻居因漏水有矛盾",
    }
    data.update(extra)
    return data


def test_the_author_adds_news_and_corrects_the_summary(persona, world, record):
    visit = record(household=world.a1[0].pk, summary="家中有老人独居")
    client = signed_in(persona.oliver)
    assert 'data-action="amend"' in client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    response = client.post(
        reverse("visits:amend", args=[visit.pk]), amend_data(**{"amend-summary": "老人与儿子同住"})
    )
    assert response.status_code == 302
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert "老人与儿子同住" in page and "家中有老人独居" in page  # the first text under "as first recorded"
    assert "与邻居因漏水有矛盾" in page
    assert VisitItem.objects.get().amendment == VisitAmendment.objects.get()


def test_a_correction_without_a_reason_is_refused_beside_the_field(persona, world, record):
    visit = record(household=world.a1[0].pk)
    response = signed_in(persona.oliver).post(
        reverse("visits:amend", args=[visit.pk]), amend_data(**{"amend-reason": ""})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error"' in page.split('name="amend-reason"')[1].split("</div>")[0]
    assert VisitAmendment.objects.count() == 0


def test_a_colleague_sees_no_correction_form_and_cannot_post_one(persona, world, record):
    visit = record(household=world.a1[0].pk)
    oscar = make_user("oscar", persona.district_a1, Role.OFFICER, "欧思卡")
    client = signed_in(oscar)
    assert 'data-action="amend"' not in client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert client.post(reverse("visits:amend", args=[visit.pk]), amend_data()).status_code == 403
    assert (
        signed_in(persona.olga).post(reverse("visits:amend", args=[visit.pk]), amend_data()).status_code
        == 404
    )
    assert VisitAmendment.objects.count() == 0
