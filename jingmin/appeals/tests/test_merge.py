"""A duplicate merged into another appeal: both stay visible, both tracking codes still lead to
the case, and the history of each says so."""

from __future__ import annotations

import pytest

from jingmin.appeals import services
from jingmin.appeals.models import Action, AppealEvent, State
from jingmin.appeals.selectors import appeal_list


def test_a_duplicate_is_merged_and_both_stay_visible(persona, register):
    first = register()
    duplicate = register(title="楼上又在装修噪音", citizen_phone="13900002222")
    merged = services.appeal_merge(
        actor=persona.clara, appeal_id=duplicate.pk, into=first.pk, note="同一楼栋噪音"
    )
    assert merged.state == State.MERGED and not merged.is_open and merged.merged_into == first
    assert set(appeal_list(actor=persona.clara).values_list("pk", flat=True)) >= {first.pk, duplicate.pk}
    # The target's history records what was merged into it, and the tracking code of it.
    event = AppealEvent.objects.filter(appeal=first, action=Action.MERGE).get()
    assert event.data == {"merged": duplicate.pk, "tracking_code": duplicate.tracking_code}
    assert merged.tracking_code != first.tracking_code
    assert list(first.merged_appeals.all()) == [merged]


@pytest.mark.parametrize("into", ["self", "rejected", "elsewhere", None])
def test_merging_into_a_wrong_target_is_refused(persona, register, walk, into):
    appeal = register()
    target = {
        "self": appeal.pk,
        "rejected": walk(register(), State.REJECTED).pk,
        "elsewhere": register(actor=persona.chen).pk,  # visible: Chen is at station A too
        None: None,
    }[into]
    if into == "elsewhere":
        # Olga (station B) cannot reach an appeal of station A at all.
        with pytest.raises(Exception) as refused:
            services.appeal_merge(actor=persona.olga, appeal_id=appeal.pk, into=target)
        assert refused.type.__name__ == "Http404"
    else:
        with pytest.raises(services.ServiceError) as refused:
            services.appeal_merge(actor=persona.clara, appeal_id=appeal.pk, into=target)
        assert refused.value.field == "into"
    appeal.refresh_from_db()
    assert appeal.state == State.SUBMITTED and appeal.merged_into is None
