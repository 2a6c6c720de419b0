"""Help and persuasion cases: read only by the assigned officers and their chain of command, every
reading audited, a refused reading audited and shown nothing — for every role."""

from __future__ import annotations

import pytest

from conftest import make_user, signed_in
from jingmin.audit.models import AuditEntry
from jingmin.cases import selectors, services
from jingmin.cases.codes import AuditAction
from jingmin.ledger.tests.conftest import make_id
from jingmin.org.roles import Role

pytestmark = pytest.mark.django_db

# Who reads a case of district A1 assigned to Oliver, and what the others get.
EXPECTED = {
    "oliver": 200,  # assigned
    "chen": 200,  # his station's chief
    "li": 200,  # the bureau's leader
    "clara": 403,  # the station's clerk: in scope, not her work
    "ines": 403,  # the inspector reads the audit trail, not the cases
    "olga": 404,  # another station's officer: the case does not exist for her
    "sam": 403,
    "sue": 403,
    "audrey": 403,
}


@pytest.fixture
def cases(persona, ledger_a1):
    help_case, _ = services.help_case_open(
        actor=persona.oliver,
        household_id=ledger_a1["household"].pk,
        hardship="独居老人生活困难",
        plan="每周探望",
    )
    persuasion, _ = services.persuasion_case_open(
        actor=persona.oliver,
        district_id=persona.district_a1.pk,
        wanted_name="孙某某",
        wanted_id_number=make_id(seq=457),
    )
    return {"help": help_case, "persuasion": persuasion}


@pytest.mark.parametrize("kind", ["help", "persuasion"])
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_reads_or_is_refused_and_both_are_audited(persona, cases, kind, who):
    case = cases[kind]
    user = getattr(persona, who)
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = signed_in(user).get(f"/cases/{kind}/{case.pk}/")
    assert response.status_code == EXPECTED[who]
    rows = list(AuditEntry.objects.filter(pk__gt=before, target_id=str(case.pk)))
    if EXPECTED[who] == 200:
        assert [r.action for r in rows] == [
            AuditAction.HELP_READ if kind == "help" else AuditAction.PERSUASION_READ
        ]
        assert "每周探望" in response.content.decode() or "孙某某" in response.content.decode()
    else:
        assert [r.action for r in rows] == [AuditAction.READ_REFUSED]
        assert rows[0].actor_id == user.pk
        body = response.content.decode()
        assert "孙某某" not in body and "每周探望" not in body


def test_an_officer_of_the_same_district_not_assigned_is_refused(persona, cases):
    oscar = make_user("oscar", persona.district_a1, Role.OFFICER, "欧斯卡")
    assert signed_in(oscar).get(f"/cases/persuasion/{cases['persuasion'].pk}/").status_code == 403
    assert not selectors.persuasion_cases(oscar).exists() and not selectors.help_cases(oscar).exists()
    assert AuditEntry.objects.filter(action=AuditAction.READ_REFUSED, actor_id=oscar.pk).count() == 1


def test_assigning_him_lets_him_read_and_record(persona, cases, ledger_a1):
    oscar = make_user("oscar", persona.district_a1, Role.OFFICER, "欧斯卡")
    case, _ = services.persuasion_case_open(
        actor=persona.chen,
        district_id=persona.district_a1.pk,
        wanted_name="钱某",
        wanted_id_number=make_id(seq=459),
        officers=[oscar.pk],
    )
    assert list(selectors.persuasion_cases(oscar)) == [case]
    services.persuasion_contact_record(actor=oscar, case_id=case.pk, relative="钱父", what="讲明投案自首政策")
    assert case.contacts.count() == 1


@pytest.mark.parametrize(("who", "count"), [("oliver", 1), ("chen", 1), ("li", 1), ("olga", 0)])
def test_the_lists_hold_only_readable_cases(persona, cases, who, count):
    user = getattr(persona, who)
    assert selectors.help_cases(user).count() == count
    assert selectors.persuasion_cases(user).count() == count


def test_the_wanted_persons_id_number_is_stored_encrypted_and_shown_masked(persona, cases):
    from django.db import connection

    case = cases["persuasion"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT wanted_id_number FROM cases_persuasioncase WHERE id = %s", [case.pk])
        stored = cursor.fetchone()[0]
    assert make_id(seq=457) not in stored
    body = signed_in(persona.chen).get(f"/cases/persuasion/{case.pk}/").content.decode()
    assert make_id(seq=457) not in body and case.wanted_id_masked in body
