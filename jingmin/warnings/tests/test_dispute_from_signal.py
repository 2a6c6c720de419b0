"""A dispute raised from a signal links back to it; a signal outside the scope is refused."""

from __future__ import annotations

import pytest

from conftest import signed_in
from jingmin.core.errors import ServiceError
from jingmin.disputes.models import Dispute
from jingmin.disputes.tests.conftest import register
from jingmin.warnings.models import Signal
from jingmin.warnings.tests.conftest import appeal, scan

pytestmark = pytest.mark.django_db


def test_the_dispute_names_its_signal_and_the_form_starts_from_it(persona):
    scan("appeal", appeal(persona, content="两家为宅基地争吵，扬言要动刀。").pk)
    signal = Signal.objects.get()
    page = signed_in(persona.oliver).get(f"/disputes/new/?signal={signal.pk}")
    assert page.status_code == 200 and f'value="{signal.pk}"' in page.content.decode()
    dispute = register(persona.oliver, persona.district_a1.pk, source="signal", signal_id=signal.pk)
    assert Dispute.objects.get(pk=dispute.pk).signal_id == signal.pk
    detail = signed_in(persona.oliver).get(f"/disputes/{dispute.pk}/").content.decode()
    assert f"/warnings/{signal.pk}/" in detail


def test_a_signal_of_another_station_is_refused(persona):
    scan("appeal", appeal(persona, content="扬言要动刀。").pk)
    signal = Signal.objects.get()
    assert signed_in(persona.olga).get(f"/disputes/new/?signal={signal.pk}").status_code == 404
    with pytest.raises(ServiceError):
        register(persona.olga, persona.district_b1.pk, source="signal", signal_id=signal.pk)
