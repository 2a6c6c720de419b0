"""Clara's intake form: register (and dispatch in one go), a repeated submission creates nothing
twice, refused input is shown beside its field with nothing saved, and the caller's open appeals
show up while she types the number."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import make_user, signed_in
from jingmin.appeals.models import Action, Appeal, AppealEvent, Attachment, Category, State
from jingmin.org.roles import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def form_data(client, **overrides) -> dict:
    """What the form holds when Clara has filled it in: the page's own hidden key and defaults."""
    page = client.get(reverse("appeals:new"))
    assert page.status_code == 200
    found = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page.content.decode())
    assert found is not None
    key = found.group(1)
    data = {
        "submission_key": key,
        "channel": "phone",
        "type": "help",
        "category": str(Category.objects.get(code="order-noise").pk),
        "urgency": "general",
        "title": "楼上深夜噪音扰民",
        "content": "东门小区3栋楼上每晚12点后装修噪音，影响休息。",
        "address": "东门小区3栋2单元",
        "citizen_name": "王小明",
        "citizen_phone": "138 1234 5678",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def field_errors(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


def test_the_form_is_ready_for_the_keyboard(persona):
    html = signed_in(persona.clara).get(reverse("appeals:new")).content.decode()
    # The first field has the focus; the categories are grouped by their heading.
    assert re.search(r'<select name="channel"[^>]*autofocus', html)
    assert '<optgroup label="治安管理">' in html
    assert 'type="datetime-local"' in html and 'name="received_at"' in html
    assert re.search(r'name="files"[^>]*multiple', html)
    # The tab order follows the document: channel, type, category, urgency, title, content.
    order = [
        html.index(f'name="{name}"')
        for name in ("channel", "type", "category", "urgency", "title", "content")
    ]
    assert order == sorted(order)


def test_clara_registers_an_appeal_and_sees_the_tracking_code_to_read_out(persona):
    client = signed_in(persona.clara)
    response = client.post(reverse("appeals:new"), form_data(client))

    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('appeals:new')}?registered={appeal.pk}"
    assert appeal.state == State.SUBMITTED and appeal.created_by == persona.clara
    assert appeal.citizen_phone == "13812345678" and appeal.unit == persona.station_a
    page = client.get(response["Location"])
    assert f'data-code="{appeal.tracking_code}"' in page.content.decode()
    # The next call starts from an empty form with a new key.
    assert page.context["form"].initial["submission_key"] != appeal.submission_key


def test_register_and_dispatch_in_one_go(persona):
    client = signed_in(persona.clara)
    data = form_data(client, dispatch_to=str(persona.district_a1.pk))
    response = client.post(reverse("appeals:new"), data)

    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.state == State.DISPATCHED and appeal.unit == persona.district_a1
    assert appeal.sign_by is not None
    assert list(AppealEvent.objects.filter(appeal=appeal).values_list("action", flat=True)) == [
        Action.REGISTER,
        Action.ACCEPT,
        Action.DISPATCH,
    ]


def test_the_same_form_sent_twice_registers_one_appeal(persona):
    client = signed_in(persona.clara)
    data = form_data(client, dispatch_to=str(persona.district_a1.pk))
    first = client.post(reverse("appeals:new"), data)
    second = client.post(reverse("appeals:new"), data)

    assert Appeal.objects.count() == 1
    assert first["Location"] == second["Location"]
    # Nor is it dispatched twice.
    assert AppealEvent.objects.filter(action=Action.DISPATCH).count() == 1


def test_a_future_time_received_is_shown_beside_its_field_and_nothing_is_saved(persona):
    client = signed_in(persona.clara)
    future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("appeals:new"), form_data(client, received_at=future))

    assert response.status_code == 400
    assert field_errors(response, "received_at")
    assert not response.context["form"].non_field_errors()
    html = response.content.decode()
    # The message sits in the same field block as the input.
    block = re.search(r'<div class="field has-error">(.*?)</div>', html, re.S)
    assert block is not None
    assert 'name="received_at"' in block.group(1) and 'class="error"' in block.group(1)
    # What Clara typed is still there.
    assert "楼上深夜噪音扰民" in html
    assert Appeal.objects.count() == 0 and AppealEvent.objects.count() == 0


def test_an_earlier_time_received_is_kept(persona):
    client = signed_in(persona.clara)
    earlier = timezone.localtime() - timedelta(hours=3)
    client.post(reverse("appeals:new"), form_data(client, received_at=earlier.strftime("%Y-%m-%dT%H:%M")))
    appeal = Appeal.objects.get()
    assert abs(appeal.received_at - earlier) < timedelta(minutes=1)


def test_a_file_that_is_not_an_image_or_pdf_is_refused_and_nothing_is_saved(persona):
    client = signed_in(persona.clara)
    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 this is a program", content_type="image/png")
    response = client.post(reverse("appeals:new"), {**form_data(client), "files": [fake]})

    assert response.status_code == 400
    assert field_errors(response, "files")
    assert Appeal.objects.count() == 0 and Attachment.objects.count() == 0


def test_photos_are_attached_to_the_new_appeal(persona, media):
    client = signed_in(persona.clara)
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    client.post(reverse("appeals:new"), {**form_data(client), "files": [photo]})
    attachment = Attachment.objects.get()
    assert attachment.appeal == Appeal.objects.get()
    assert attachment.content_type == "image/png" and attachment.original_name == "现场.png"


def test_an_anonymous_appeal_with_a_name_is_refused_beside_the_name(persona):
    client = signed_in(persona.clara)
    response = client.post(reverse("appeals:new"), form_data(client, anonymous="on"))
    assert response.status_code == 400
    assert field_errors(response, "citizen_name")
    assert Appeal.objects.count() == 0


def test_a_missing_category_is_shown_beside_the_category(persona):
    client = signed_in(persona.clara)
    response = client.post(reverse("appeals:new"), form_data(client, category=""))
    assert response.status_code == 400 and field_errors(response, "category")
    assert Appeal.objects.count() == 0


def test_the_same_callers_open_appeals_are_shown_while_typing_the_number(persona, register, walk):
    open_one = register(title="第一次来电")
    closed = walk(register(title="已经办结"), State.CONCLUDED)
    register(title="别人的来电", citizen_phone="13900009999")
    client = signed_in(persona.clara)
    url = reverse("appeals:same_caller")

    html = client.post(
        url, {"citizen_phone": "138-1234-5678"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f'data-appeal="{open_one.pk}"' in html and open_one.tracking_code in html
    assert f'data-appeal="{closed.pk}"' not in html
    assert html.count("data-appeal=") == 1
    assert client.post(url, {"citizen_phone": "13700000000"}).content.decode().strip() == ""
    # The form asks for it as the number is typed, sending only the number.
    form = client.get(reverse("appeals:new")).content.decode()
    assert f'hx-post="{url}"' in form and 'hx-params="citizen_phone"' in form


def test_the_same_caller_warning_stays_within_scope(persona, register):
    register(title="A所的来电")
    bella = make_user("bella", persona.station_b, Role.CLERK, "贝拉")
    html = signed_in(bella).post(reverse("appeals:same_caller"), {"citizen_phone": "13812345678"})
    assert "data-appeal=" not in html.content.decode()


@pytest.mark.parametrize("who", ["oliver", "ines", "sam"])
def test_only_intake_staff_register(persona, who):
    client = signed_in(getattr(persona, who))
    assert client.get(reverse("appeals:new")).status_code == 403
    assert client.post(reverse("appeals:same_caller"), {"citizen_phone": "13812345678"}).status_code == 403
