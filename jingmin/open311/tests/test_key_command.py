"""`manage.py open311_key`: create prints the new key as its last line (and only then), revoke
stops it at once, list shows the partners without keys."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jingmin.appeals.models import Appeal
from jingmin.audit.models import AuditEntry
from jingmin.open311.models import Partner
from jingmin.open311.tests.conftest import noise_post, post_form


def run(*args: str) -> str:
    out = StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_key_last(persona, public):
    output = run(
        "create", "12345市民服务热线", "--unit", persona.station_a.code, "--contact", "热线运维 010-1234"
    )
    key = output.strip().splitlines()[-1]
    partner = Partner.objects.get(name="12345市民服务热线")
    assert partner.intake_unit == persona.station_a and partner.contact == "热线运维 010-1234"
    assert key.startswith(partner.key_prefix) and len(key) == 48
    # Only a keyed hash is kept.
    assert key not in partner.key_hash and key not in str(Partner.objects.values().get())
    assert post_form(public, "json", noise_post(key)).status_code == 200
    assert Appeal.objects.get().open311_request.partner == partner
    entry = AuditEntry.objects.get(action="open311.partner_create")
    assert entry.actor_username == "manage.py open311_key"
    assert key not in str(entry.detail)


def test_create_defaults_to_the_bureau(persona):
    run("create", "某某App")
    assert Partner.objects.get(name="某某App").intake_unit == persona.bureau


def test_revoke_stops_the_key(persona, public):
    key = run("create", "某某App", "--unit", persona.station_a.code).strip().splitlines()[-1]
    output = run("revoke", "某某App")
    assert "revoked" in output
    partner = Partner.objects.get(name="某某App")
    assert not partner.is_active and partner.revoked_at is not None
    assert post_form(public, "json", noise_post(key)).status_code == 403
    assert AuditEntry.objects.filter(action="open311.partner_revoke", target_id=str(partner.pk)).exists()
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke", "某某App")


def test_list_shows_partners_without_keys(persona):
    key = run("create", "某某App", "--unit", persona.station_a.code).strip().splitlines()[-1]
    output = run("list")
    assert "某某App" in output and persona.station_a.code in output and "active" in output
    assert key not in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "某某App", "--unit", "NOPE"), "NOPE"),
        (("create", "  "), "name"),
        (("revoke", "nobody"), "nobody"),
    ],
)
def test_mistakes_are_refused(persona, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Partner.objects.exists()


def test_a_name_is_taken_once(persona):
    run("create", "某某App")
    with pytest.raises(CommandError, match="name"):
        run("create", "某某App")
    assert Partner.objects.count() == 1
