"""An appeal prints as its record sheet (诉求办理单) and the follow-ups owed as a sheet to fill in
by hand: a print style sheet hides the page's navigation and actions, and the follow-up sheet
shows phones masked only."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from conftest import signed_in
from jingmin.appeals.models import State

PRINT_CSS = Path(settings.BASE_DIR) / "jingmin/core/static/core/print.css"


def test_the_appeal_page_prints_as_its_record_sheet(persona, register, walk):
    appeal = walk(register(), State.CONCLUDED)
    html = signed_in(persona.chen).get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert 'href="/static/core/print.css" media="print"' in html
    assert '<p class="print-only print-title">诉求办理单</p>' in html
    assert "data-print" in html and "打印办理单" in html


def test_the_print_style_sheet_hides_navigation_actions_and_forms():
    css = PRINT_CSS.read_text()
    hidden = css.split("{ display: none !important; }")[0]
    for selector in (".topbar", ".navmenu", "#actions", "form", "button", "details.act-panel"):
        assert selector in hidden


def test_the_follow_up_sheet_lists_what_is_owed_with_masked_phones(persona, register, walk):
    appeal = walk(register(citizen_phone="13812345678"), State.CONCLUDED)
    html = signed_in(persona.clara).get(reverse("appeals:follow_ups_print")).content.decode()
    assert "回访登记表" in html
    assert appeal.tracking_code in html
    assert "138****5678" in html and "13812345678" not in html
    assert "□1 □2 □3 □4 □5" in html
