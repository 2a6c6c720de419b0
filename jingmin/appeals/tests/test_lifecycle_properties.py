"""Random sequences of life-cycle steps, by random people, never break an appeal's invariants.

A hypothesis state machine registers an appeal (Clara, at station A's window) and then takes any
step of the life cycle — accept, reject, dispatch, sign, contact, transfer, return, conclude,
follow up, review, reopen, supervise, archive — as any persona, with random units and answers.
Most tries are refused (wrong role, wrong unit, wrong state, the hand that handled it following it
up); a refused step must change nothing. After every step, taken or refused:

- one holder: the appeal is with exactly one unit, its path is that unit's, and a handler exists
  exactly while the appeal is signed for and being handled — one of the holder's people;
- the clocks: open (`is_open`) exactly in the open states; an open appeal has its conclusion
  deadline and `due_at`, the nearest running one; a closed appeal has no `due_at`;
- every step is an event: a taken step adds its events, a refused one none; the events chain
  (each starts where the last ended) and end in the appeal's state, with an audit row each;
- the counts agree with the events: hand-offs = transfers + returns, reopenings = reopen events,
  follow-ups = conclusions;
- what the citizen said (title, content, address, name, phone) is never changed.

Bounded for `make test`: a fixed seed (derandomize), 12 sequences of at most 30 steps — well under
a minute on SQLite; the same runs on PostgreSQL. Clocks are read from the appeal's columns, not
from queued tasks, so a change of how reminders are scheduled does not touch this test.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from conftest import Personas
from jingmin.appeals import services
from jingmin.appeals.models import OPEN_STATES, Action, Appeal, AppealEvent, FollowUp, State
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.appeals.transitions import TRANSITIONS
from jingmin.audit.models import AuditEntry
from jingmin.core.errors import ServiceError
from jingmin.org.scope import Scope

pytestmark = pytest.mark.django_db

ACTORS = ("clara", "oliver", "olga", "chen", "li", "ines", "sam", "sue")
# District A1 thrice: most appeals go where Oliver works, some wander off.
UNITS = ("district_a1",) * 3 + ("district_a2", "station_a", "station_b", "district_b1", "branch_a", "bureau")
IN_HAND = {State.SIGNED, State.HANDLING}
CITIZEN_FIELDS = ("title", "content", "address", "citizen_name", "citizen_phone")
REFUSALS = (PermissionDenied, Http404, ServiceError)

BOUNDS = settings(
    max_examples=12,
    stateful_step_count=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _snapshot(appeal: Appeal) -> dict[str, Any]:
    fields = [f.attname for f in Appeal._meta.concrete_fields if f.attname != "search_tokens"]
    return {name: getattr(appeal, name) for name in fields}


def machine_for(p: Personas, taken: Counter[str]) -> type[RuleBasedStateMachine]:
    people = st.sampled_from(ACTORS).map(lambda name: getattr(p, name))
    units = st.sampled_from(UNITS).map(lambda name: getattr(p, name))
    notes = st.sampled_from(["电话联系，约定上门", "属地不符", "已上门调解", "请加快办理"])
    handlers = {p.district_a1.pk: p.oliver, p.district_b1.pk: p.olga}
    # Each step: its service, the states it may start from, and the strategy of its arguments.
    steps: dict[str, tuple[Any, frozenset[str], st.SearchStrategy[dict[str, Any]]]] = {
        name: (getattr(services, f"appeal_{name}"), TRANSITIONS[action].sources, args)
        for name, action, args in (
            ("accept", Action.ACCEPT, st.just({})),
            ("reject", Action.REJECT, st.fixed_dictionaries({"reason": notes})),
            ("dispatch", Action.DISPATCH, st.fixed_dictionaries({"unit": units})),
            ("sign", Action.SIGN, st.just({})),
            ("contact", Action.CONTACT, st.fixed_dictionaries({"note": notes})),
            ("transfer", Action.TRANSFER, st.fixed_dictionaries({"unit": units, "reason": notes})),
            ("return", Action.RETURN, st.fixed_dictionaries({"reason": notes})),
            (
                "conclude",
                Action.CONCLUDE,
                st.fixed_dictionaries(
                    {
                        "result": st.sampled_from(["solved", "explained", "unsolvable", "nonsense"]),
                        "note": notes,
                    }
                ),
            ),
            (
                "follow_up",
                Action.FOLLOW_UP,
                st.fixed_dictionaries({"resolved": st.booleans(), "satisfaction": st.integers(1, 5)}),
            ),
            ("review", Action.REVIEW, st.fixed_dictionaries({"reasonable": st.booleans(), "note": notes})),
            ("reopen", Action.REOPEN, st.fixed_dictionaries({"reason": notes})),
            ("supervise", Action.SUPERVISE, st.fixed_dictionaries({"note": notes})),
            ("archive", Action.ARCHIVE, st.just({})),
        )
    }

    def plausible(name: str, appeal: Appeal) -> Any:
        """The person whose step it would be: the district's officer handles, the inspector
        reviews and supervises, Clara takes the desk's steps and the follow-up call."""
        if name in {"sign", "contact", "conclude", "return", "transfer"}:
            return handlers.get(appeal.unit_id, p.chen)
        if name in {"review", "reopen", "supervise"}:
            return p.ines
        return p.clara

    # The main road is taken four times as often as a side step, so that sequences of a few dozen
    # steps reach the follow-up, the review and the archive.
    weight = {"reject": 1, "transfer": 1, "return": 1, "supervise": 1}

    def enabled(state: str) -> list[str]:
        return [n for n in sorted(steps) for _ in range(weight.get(n, 4)) if state in steps[n][1]]

    class AppealLifeCycle(RuleBasedStateMachine):
        """Rules: `advance`, a step the state allows, by the person it plausibly falls to (so the
        life cycle is travelled), and `anything`: any step by anyone from any state (so refusals
        are tried as often)."""

        appeal: Appeal
        citizen: dict[str, Any]
        state: str
        taken: int

        @initialize()
        def register(self) -> None:
            self.appeal, _created = services.appeal_register(actor=p.clara, data=appeal_input())
            self.citizen = {f: getattr(self.appeal, f) for f in CITIZEN_FIELDS}
            self.state = self.appeal.state
            self.taken = 0

        def current(self) -> Appeal:
            return Appeal.objects.select_related("unit").get(pk=self.appeal.pk)

        def attempt(self, name: str, actor: Any, kwargs: dict[str, Any]) -> None:
            service = steps[name][0]
            before = self.current()
            events = AppealEvent.objects.filter(appeal=before).count()
            try:
                service(actor=actor, appeal_id=before.pk, **kwargs)
            except REFUSALS:
                after = self.current()
                assert _snapshot(after) == _snapshot(before), f"{name} refused yet changed the appeal"
                assert AppealEvent.objects.filter(appeal=before).count() == events
                return
            assert AppealEvent.objects.filter(appeal=before).count() > events, f"{name}: no event"
            self.taken += 1
            taken[name] += 1
            self.state = self.current().state

        @precondition(lambda self: bool(enabled(self.state)))
        @rule(data=st.data())
        def advance(self, data: st.DataObject) -> None:
            name = data.draw(st.sampled_from(enabled(self.state)))
            self.attempt(name, plausible(name, self.current()), data.draw(steps[name][2]))

        @rule(name=st.sampled_from(sorted(steps)), actor=people, data=st.data())
        def anything(self, name: str, actor: Any, data: st.DataObject) -> None:
            self.attempt(name, actor, data.draw(steps[name][2]))

        @invariant()
        def one_holder(self) -> None:
            appeal = Appeal.objects.select_related("unit", "handler__unit").get(pk=self.appeal.pk)
            assert appeal.unit_id is not None and appeal.unit_path == appeal.unit.path
            if appeal.state in IN_HAND:
                assert appeal.handler is not None, f"nobody handles a {appeal.state} appeal"
                # Whoever signed is of the holding unit or above it (a chief signs for his station).
                assert Scope.of(appeal.handler).contains(appeal.unit_path)
            elif appeal.state in {State.SUBMITTED, State.ACCEPTED, State.DISPATCHED}:
                assert appeal.handler_id is None, f"a {appeal.state} appeal still has a handler"

        @invariant()
        def clocks_while_open(self) -> None:
            appeal = Appeal.objects.get(pk=self.appeal.pk)
            assert appeal.is_open == (appeal.state in OPEN_STATES)
            if appeal.is_open:
                assert appeal.conclude_by is not None and appeal.due_at is not None
                running = [appeal.conclude_by]
                if appeal.state == State.DISPATCHED and appeal.sign_by is not None:
                    running.append(appeal.sign_by)
                if appeal.contacted_at is None and appeal.contact_by is not None:
                    running.append(appeal.contact_by)
                assert appeal.due_at == min(running)
            else:
                assert appeal.due_at is None, f"a closed ({appeal.state}) appeal keeps a deadline"
            # The lists read the same column: an open appeal is in the overdue-ordered worklist's
            # index, a closed one is not.
            assert Appeal.objects.filter(pk=appeal.pk, due_at__isnull=False).exists() == appeal.is_open

        @invariant()
        def every_step_an_event(self) -> None:
            appeal = Appeal.objects.get(pk=self.appeal.pk)
            events = list(AppealEvent.objects.filter(appeal=appeal).order_by("seq"))
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
            assert events[0].from_state == "" or events[0].to_state == State.SUBMITTED
            for before, after in itertools.pairwise(events):
                assert after.from_state == before.to_state, f"event {after.seq} starts elsewhere"
            assert events[-1].to_state == appeal.state
            assert len(events) >= 1 + self.taken
            audited = AuditEntry.objects.filter(target_type="appeals.appeal", target_id=str(appeal.pk))
            assert audited.count() >= len(events)

        @invariant()
        def counts_agree_with_the_events(self) -> None:
            appeal = Appeal.objects.get(pk=self.appeal.pk)
            actions = list(AppealEvent.objects.filter(appeal=appeal).values_list("action", flat=True))
            assert appeal.handoffs == actions.count(Action.TRANSFER) + actions.count(Action.RETURN)
            assert appeal.reopen_count == actions.count(Action.REOPEN)
            assert FollowUp.objects.filter(appeal=appeal).count() == actions.count(Action.CONCLUDE)
            assert appeal.supervised == (Action.SUPERVISE in actions)

        @invariant()
        def the_citizens_words_unchanged(self) -> None:
            appeal = Appeal.objects.get(pk=self.appeal.pk)
            assert {f: getattr(appeal, f) for f in CITIZEN_FIELDS} == self.citizen

    return AppealLifeCycle


def test_random_steps_by_random_people_keep_the_invariants(persona):
    taken: Counter[str] = Counter()
    run_state_machine_as_test(machine_for(persona, taken), settings=BOUNDS)
    # The sequences reached the whole life cycle, not only refusals: every step was taken.
    assert set(taken) == {
        "accept",
        "reject",
        "dispatch",
        "sign",
        "contact",
        "transfer",
        "return",
        "conclude",
        "follow_up",
        "review",
        "reopen",
        "supervise",
        "archive",
    }, taken
    print(f"steps taken: {sum(taken.values())} {dict(taken)}")
