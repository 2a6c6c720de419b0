"""Text typed on the portal is stored as text and shown escaped everywhere: on the form shown
back, on the public pages and on the staff's appeal page."""

from __future__ import annotations

from django.urls import reverse

from conftest import signed_in
from jingmin.appeals.models import Appeal
from jingmin.portal.tests.conftest import portal_post

SCRIPT = "<script>alert('jm')</script>"
IMG = '<img src=x onerror="alert(1)">'


def fields():
    return {
        "content": f"路灯不亮{SCRIPT}\n第二行{IMG}",
        "title": f"路灯{SCRIPT}",
        "address": f"河西路{IMG}",
        "citizen_name": f"张{SCRIPT}",
        "station": None,
    }


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html and IMG not in html
    assert "&lt;script&gt;" in html


def test_the_form_shown_back_escapes_what_was_typed(persona, citizen):
    response = portal_post(citizen, consent=None, **fields())
    assert response.status_code == 400
    assert_escaped(response.content.decode())


def test_stored_as_written_and_escaped_on_every_page(persona, citizen):
    response = portal_post(
        citizen, station=str(persona.station_a.pk), **{k: v for k, v in fields().items() if k != "station"}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert SCRIPT in appeal.content and IMG in appeal.address and appeal.title == f"路灯{SCRIPT}"

    for url in (reverse("portal:submitted"), reverse("portal:track_detail", args=[appeal.tracking_code])):
        html = citizen.get(url).content.decode()
        assert SCRIPT not in html and IMG not in html

    staff = signed_in(persona.clara).get(reverse("appeals:detail", args=[appeal.pk]))
    assert staff.status_code == 200
    html = staff.content.decode()
    assert_escaped(html)
    assert "&lt;img src=x" in html
