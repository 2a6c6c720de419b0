"""The permission matrix's rows for routing (see `jingmin/core/tests/access.py`). The world has
two stored versions of a small model: the first active, the second ready to be activated."""

from __future__ import annotations

from types import SimpleNamespace

from jingmin.core.tests.access import NOBODY, action, page
from jingmin.routing import model_store, services
from jingmin.routing.tests.conftest import generated_training_set

VIEW = frozenset({"chen", "li", "ines", "sam"})
MANAGE = frozenset({"sam"})
INTAKE = frozenset({"clara", "chen"})


def forget():
    model_store.forget()


def build(w):
    training = generated_training_set()
    trained = services.fit(training, folds=2)
    active = services.routing_model_store(actor=None, training=training, trained=trained, trained_by="tests")
    spare = services.routing_model_store(
        actor=None, training=training, trained=trained, trained_by="tests", activate=False
    )
    return SimpleNamespace(active=active, spare=spare)


ROWS = [
    page("routing:index", VIEW),
    page("routing:model", VIEW, args=lambda w: {"version": w.routing.active.version}),
    # A request is queued and recorded; the worker trains later.
    action("routing:retrain", MANAGE, lands="routing:index"),
    action(
        "routing:activate", MANAGE, args=lambda w: {"version": w.routing.spare.version}, lands="routing:index"
    ),
    # Read-only: what the intake form suggests while the clerk types.
    action(
        "routing:suggest",
        INTAKE,
        body=lambda w: {
            "title": "楼上深夜装修噪音扰民",
            "content": "每天晚上11点以后还在敲打",
            "address": "东门小区3栋",
        },
        ok=(200,),
        writes=NOBODY,
    ),
]
