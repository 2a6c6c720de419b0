"""A citizen submits an appeal on the portal: with a verified phone, without one, anonymously;
refused without consent or with a wrong or expired code; a double tap creates one appeal."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from jingmin.appeals.models import Action, Appeal, AppealEvent, Channel, State
from jingmin.audit.models import AuditEntry
from jingmin.portal.models import PhoneCode
from jingmin.portal.tests.conftest import PHONE, portal_post, submission_key


def test_an_appeal_with_a_verified_phone(persona, citizen, request_code):
    response, code = request_code(citizen, "139 1234 5678")
    assert response.status_code == 200
    assert "139****5678" in response.content.decode()
    assert code is not None and len(code) == 6
    stored = PhoneCode.objects.get()
    assert code not in (stored.code_hash, stored.phone_hash) and PHONE not in stored.phone_hash

    response = portal_post(citizen, citizen_name="张大爷", citizen_phone="139-1234-5678", code=code)
    assert response.status_code == 302 and response["Location"] == reverse("portal:submitted")
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.WEB and appeal.state == State.SUBMITTED
    assert appeal.citizen_phone == PHONE and appeal.phone_verified is True
    assert appeal.citizen_name == "张大爷" and appeal.consent_at is not None
    # No station chosen: the root unit (no PORTAL_INTAKE_UNIT set) receives it.
    assert appeal.intake_unit == persona.bureau
    # The title is the citizen's first words.
    assert appeal.title.startswith("楼上每晚十二点后") and len(appeal.title) <= 30
    assert AuditEntry.objects.filter(action="appeals.appeal_register", target_id=str(appeal.pk)).exists()
    assert PhoneCode.objects.get().used_at is not None

    done = citizen.get(response["Location"]).content.decode()
    dashed = "-".join(appeal.tracking_code[i : i + 4] for i in (0, 4, 8))
    assert dashed in done and reverse("portal:track_detail", args=[appeal.tracking_code]) in done


def test_an_appeal_without_a_phone_needs_no_code(persona, citizen, sms_outbox):
    response = portal_post(
        citizen, citizen_name="李女士", station=str(persona.station_b.pk), title="装修噪音"
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.citizen_phone == "" and appeal.phone_verified is False and appeal.title == "装修噪音"
    # The citizen chose the station: it receives the appeal, and its clerks see it.
    assert appeal.intake_unit == persona.station_b
    assert sms_outbox == []


def test_the_portal_unit_receives_what_names_no_station(persona, citizen, settings):
    settings.PORTAL_INTAKE_UNIT = persona.station_a.code
    assert portal_post(citizen).status_code == 302
    assert Appeal.objects.get().intake_unit == persona.station_a


def test_an_anonymous_appeal(persona, citizen):
    response = portal_post(citizen, anonymous="on")
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.anonymous and appeal.citizen_name == "" and appeal.citizen_phone == ""


def test_anonymous_with_a_name_is_refused_beside_the_box(persona, citizen):
    response = portal_post(citizen, anonymous="on", citizen_name="王五")
    assert response.status_code == 400
    assert "anonymous" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_without_consent_nothing_is_saved(persona, citizen):
    response = portal_post(citizen, consent=None)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["consent"]
    html = response.content.decode()
    # Everything typed comes back, the message sits beside the box.
    assert "楼上每晚十二点后还在装修" in html and "东门小区3栋" in html
    assert not Appeal.objects.exists()


def test_missing_text_and_category_are_shown_beside_their_fields(persona, citizen):
    response = portal_post(citizen, content="", category="")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"content", "category"}
    assert not Appeal.objects.exists()


def test_a_phone_without_a_code_is_refused(persona, citizen):
    response = portal_post(citizen, citizen_phone=PHONE)
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_a_landline_is_refused_for_it_cannot_receive_the_code(persona, citizen, request_code):
    response, code = request_code(citizen, "010-62345678")
    assert code is None and response.status_code == 400
    assert 'id="code-error"' in response.content.decode()
    assert not PhoneCode.objects.exists()


def test_a_wrong_code_is_refused_and_counted(persona, citizen, request_code):
    _response, code = request_code(citizen)
    wrong = "000000" if code != "000000" else "111111"
    key = submission_key(citizen)
    response = portal_post(citizen, key=key, citizen_phone=PHONE, code=wrong)
    assert response.status_code == 400
    # The message says how many tries are left.
    assert "4" in response.context["form"].errors["code"][0]
    assert PhoneCode.objects.get().attempts == 1
    assert not Appeal.objects.exists()
    # The right code still works, on the same form.
    assert portal_post(citizen, key=key, citizen_phone=PHONE, code=code).status_code == 302
    assert Appeal.objects.count() == 1


def test_a_code_tried_wrongly_too_often_is_dead(persona, citizen, request_code, settings):
    _response, code = request_code(citizen)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.PORTAL_CODE_MAX_ATTEMPTS):
        portal_post(citizen, citizen_phone=PHONE, code=wrong)
    response = portal_post(citizen, citizen_phone=PHONE, code=code)
    assert response.status_code == 400 and "code" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_an_expired_code_is_refused(persona, citizen, request_code, settings):
    _response, code = request_code(citizen)
    later = timezone.now() + timedelta(minutes=settings.PORTAL_CODE_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False):
        response = portal_post(citizen, citizen_phone=PHONE, code=code)
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_a_new_code_only_after_the_cooldown_and_it_replaces_the_old(persona, citizen, request_code, settings):
    _response, first = request_code(citizen)
    response, again = request_code(citizen)
    assert again is None and response.status_code == 400
    assert 'id="code-error"' in response.content.decode()
    later = timezone.now() + timedelta(seconds=settings.PORTAL_CODE_RESEND_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        _response, second = request_code(citizen)
        assert second is not None
        if first != second:
            refused = portal_post(citizen, citizen_phone=PHONE, code=first)
            assert refused.status_code == 400
        assert portal_post(citizen, citizen_phone=PHONE, code=second).status_code == 302


def test_a_double_tap_creates_one_appeal(persona, citizen, request_code):
    _response, code = request_code(citizen)
    key = submission_key(citizen)
    first = portal_post(citizen, key=key, citizen_phone=PHONE, code=code)
    second = portal_post(citizen, key=key, citizen_phone=PHONE, code=code)
    assert first.status_code == second.status_code == 302
    assert Appeal.objects.count() == 1
    assert AppealEvent.objects.filter(action=Action.REGISTER).count() == 1


def test_the_code_request_keeps_what_was_typed(persona, citizen, request_code):
    key = submission_key(citizen)
    response, _code = request_code(citizen, content="路灯坏了三天", submission_key=key, address="河西路12号")
    html = response.content.decode()
    assert "路灯坏了三天" in html and "河西路12号" in html and key in html
    # Only the code was asked for: the rest of the form is not judged yet.
    assert 'class="error"' not in html
