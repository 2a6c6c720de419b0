"""Audit actions are declared once per domain, in one naming scheme; rows stored under the old
names keep them (the chain still verifies), are shown under the new label and found by a filter."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import signed_in
from jingmin.audit.actions import LEGACY_ACTIONS, LEGACY_BY_TARGET, action_label, all_actions
from jingmin.audit.services import audit_record, audit_seal
from jingmin.audit.verify import audit_chain_verify
from jingmin.org.codes import AuditAction as OrgAudit

NAME = re.compile(r"^(?P<domain>[a-z0-9]+)\.[a-z]+(_[a-z]+)+$")


def test_every_action_is_domain_entity_verb_of_its_own_package():
    actions = all_actions()
    assert len(actions) > 60
    for value in actions:
        match = NAME.match(value)
        assert match, value
    # Each domain declares its own: the prefix is the package the enum lives in.
    from django.apps import apps

    packages = {
        c.name.removeprefix("jingmin.") for c in apps.get_app_configs() if c.name.startswith("jingmin.")
    }
    assert {value.split(".")[0] for value in actions} <= packages


def test_every_action_has_a_chinese_label():
    with translation.override("zh-hans"):
        untranslated = [
            v for v, label in all_actions().items() if not re.search(r"[\u4e00-\u9fff]", str(label))
        ]
    assert untranslated == []


def test_every_old_name_maps_to_a_declared_action():
    declared = all_actions()
    assert [
        new for new in [*LEGACY_ACTIONS.values(), *LEGACY_BY_TARGET.values()] if new not in declared
    ] == []
    assert not set(LEGACY_ACTIONS) & set(declared)


@pytest.mark.django_db
def test_old_rows_keep_their_names_are_shown_by_the_new_label_and_found_by_the_filter(persona):
    old = audit_record(actor=persona.oliver, action="auth.signin", target=persona.oliver)
    new = audit_record(actor=persona.oliver, action=OrgAudit.USER_SIGNIN, target=persona.oliver)
    audit_record(actor=persona.chen, action=OrgAudit.USER_SIGNOUT, target=persona.chen)
    audit_seal()
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.action == "auth.signin" and new.action == "org.user_signin"
    assert audit_chain_verify().ok
    with translation.override("zh-hans"):
        assert str(action_label(old.action)) == str(action_label(new.action)) == "登录成功"

    page = signed_in(persona.audrey).get(reverse("audit:log"), {"action": OrgAudit.USER_SIGNIN.value})
    html = page.content.decode()
    rows = re.findall(r"<tr><td[^>]*>(\d+)</td>", html)
    assert str(old.seq) in rows and str(new.seq) in rows
    assert ">chen<" not in html
    assert html.count("登录成功") >= 2 and "auth.signin" not in html


@pytest.mark.django_db
def test_old_create_rows_are_told_apart_by_their_record(persona):
    unit_row = audit_record(actor=persona.sam, action="create", target=persona.district_a1)
    user_row = audit_record(actor=persona.sam, action="create", target=persona.oliver)
    with translation.override("zh-hans"):
        assert str(action_label(unit_row.action, unit_row.target_type)) == "创建单位"
        assert str(action_label(user_row.action, user_row.target_type)) == "创建账号"
    page = signed_in(persona.audrey).get(reverse("audit:log"), {"action": OrgAudit.UNIT_CREATE.value})
    assert persona.district_a1.name in page.content.decode()
    assert persona.oliver.full_name not in page.content.decode()


@pytest.mark.django_db
def test_the_filter_offers_every_action_by_its_label(persona):
    with translation.override("zh-hans"):
        html = signed_in(persona.audrey).get(reverse("audit:log")).content.decode()
    for value in all_actions():
        assert f'value="{value}"' in html, value
    assert "创建单位" in html and "导出台账" in html
