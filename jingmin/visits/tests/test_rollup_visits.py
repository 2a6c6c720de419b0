"""The visits' roll-up follows the services: visits count in it as Oliver and Chen record them,
and a withdrawn one is taken away in the same transaction — the count through the roll-up equals
the count from the records, for the station and for Oliver."""

from __future__ import annotations

from jingmin.metrics import rollup
from jingmin.metrics.compute import figures
from jingmin.metrics.periods import Grain, period_of, today
from jingmin.metrics.tests.test_rollup_follows_random_steps import counts
from jingmin.org.scope import Scope
from jingmin.visits import services


def test_recorded_and_withdrawn_visits_keep_the_rollup(persona, world, record):
    rollup.rebuild()
    month = period_of(Grain.MONTH, today())
    station = Scope.under(persona.station_a)

    def visits(**kw):
        rolled = counts(figures(scope=station, period=month, keys=["visits"], **kw))
        assert rolled == counts(figures(scope=station, period=month, keys=["visits"], fresh=True, **kw))
        return rolled["visits"][0]

    first = record(household=world.a1[0].pk)
    record(household=world.a1[1].pk)
    record(actor=persona.chen, household=world.a2[0].pk)
    assert visits() == 3
    assert visits(officer_id=persona.oliver.pk) == 2
    services.visit_amend(actor=persona.oliver, visit_id=first.pk, reason="记错了户", withdraw=True)
    assert visits() == 2
    assert visits(officer_id=persona.oliver.pk) == 1
