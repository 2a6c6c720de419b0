"""The permission matrix's rows for early warning (see `jingmin/core/tests/access.py`).

Everyone of the business sees the signals of their scope; officers, chiefs and leaders act on
them; the system administrator keeps the bureau's lists of risk words. The world is a risk-word
signal raised by an appeal to district A1.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import timezone

from jingmin.appeals import services as appeal_services
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.core.tests.access import BUSINESS, SIGNED_IN, STATION_A, Row, action, form, get, page, post
from jingmin.warnings import services, words
from jingmin.warnings.models import RiskWord, Signal

HANDLE = frozenset({"oliver", "chen", "li"})
ADMIN = frozenset({"sam"})


def forget():
    words.forget()


def build(w):
    appeal, _created = appeal_services.appeal_register(
        actor=w.p.clara,
        data=appeal_input(district=w.p.district_a1, content="邻居扬言要放火烧房子。"),
    )
    services.signals_scan_record(record_type="appeal", record_id=appeal.pk, now=timezone.now())
    return SimpleNamespace(
        signal=Signal.objects.get(kind="risk_words"), word=RiskWord.objects.get(word="放火")
    )


def _step(name):
    return lambda w: {"pk": w.warnings.signal.pk, "step": name}


ROWS = [
    page("warnings:list", BUSINESS),
    page("warnings:detail", STATION_A, args=lambda w: {"pk": w.warnings.signal.pk}),
    Row(
        "warnings:step",
        (
            get(SIGNED_IN, args=_step("acknowledge"), ok=(405,)),
            post(
                HANDLE,
                label="acknowledge",
                args=_step("acknowledge"),
                body=lambda w: {"note": ""},
                lands="warnings:detail",
            ),
            post(
                HANDLE,
                label="act",
                args=_step("act"),
                body=lambda w: {"note": "已上门劝导"},
                lands="warnings:detail",
            ),
            post(
                HANDLE,
                label="close",
                args=_step("close"),
                body=lambda w: {"note": "经核实已化解"},
                lands="warnings:detail",
            ),
        ),
    ),
    form(
        "warnings:words",
        ADMIN,
        body=lambda w: {"theme": "gathering", "word": "讨个说法"},
        lands="warnings:words",
    ),
    action("warnings:word_remove", ADMIN, args=lambda w: {"pk": w.warnings.word.pk}, lands="warnings:words"),
]
