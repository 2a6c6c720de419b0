"""The case pages' steps: a good step is recorded and leads back to the case; a bad one comes back
beside its field, with the case's page around it, and records nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import signed_in
from jingmin.cases import services
from jingmin.cases.models import CaseEvent, HelpAct, PersuasionContact
from jingmin.ledger.tests.conftest import make_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def help_case(persona, ledger_a1):
    case, _ = services.help_case_open(
        actor=persona.oliver, household_id=ledger_a1["household"].pk, hardship="因病致贫", plan="协助就医"
    )
    return case


@pytest.fixture
def persuasion_case(persona, ledger_a1):
    case, _ = services.persuasion_case_open(
        actor=persona.oliver,
        district_id=persona.district_a1.pk,
        wanted_name="王某",
        wanted_id_number=make_id(seq=458),
    )
    return case


def test_oliver_records_an_act_of_help_and_returns_to_the_case(persona, help_case):
    client = signed_in(persona.oliver)
    answer = client.post(
        reverse("cases:help_act", args=[help_case.pk]),
        {"act-what": "陪同就医", "act-outcome": "已入院", "act-submission_key": "k1"},
    )
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "cases:help_detail", args=[help_case.pk]
    )
    assert list(HelpAct.objects.filter(case=help_case).values_list("what", flat=True)) == ["陪同就医"]


def test_an_act_without_what_was_done_comes_back_beside_its_field(persona, help_case):
    client = signed_in(persona.oliver)
    answer = client.post(reverse("cases:help_act", args=[help_case.pk]), {"act-what": "", "act-outcome": "x"})
    assert answer.status_code == 400
    assert answer.context["act_form"].errors["what"]
    assert answer.context["case"] == help_case and "acts" in answer.context
    assert not HelpAct.objects.exists()


def test_closing_a_help_case_without_a_reason_is_refused_and_it_stays_open(persona, help_case):
    client = signed_in(persona.oliver)
    answer = client.post(reverse("cases:help_close", args=[help_case.pk]), {"close-reason": ""})
    assert answer.status_code == 400 and answer.context["close_form"].errors["reason"]
    help_case.refresh_from_db()
    assert help_case.is_open
    assert list(
        CaseEvent.objects.filter(kind="help", case_id=help_case.pk).values_list("action", flat=True)
    ) == ["open"]


def test_a_contact_without_a_family_member_comes_back_on_the_persuasion_page(persona, persuasion_case):
    client = signed_in(persona.oliver)
    url = reverse("cases:persuasion_contact", args=[persuasion_case.pk])
    answer = client.post(url, {"contact-relative": "", "contact-what": "劝其投案"})
    assert answer.status_code == 400
    assert answer.context["contact_form"].errors["relative"] and "contacts" in answer.context
    assert not PersuasionContact.objects.exists()
    answer = client.post(
        url, {"contact-relative": "母亲", "contact-what": "劝其投案", "contact-submission_key": "c1"}
    )
    assert answer.status_code == 302
    assert PersuasionContact.objects.filter(case=persuasion_case).count() == 1


def test_closing_a_persuasion_case_records_its_outcome(persona, persuasion_case):
    client = signed_in(persona.oliver)
    answer = client.post(
        reverse("cases:persuasion_close", args=[persuasion_case.pk]), {"close-outcome": "surrendered"}
    )
    assert answer.status_code == 302
    persuasion_case.refresh_from_db()
    assert not persuasion_case.is_open and persuasion_case.outcome == "surrendered"
