"""Stored models: only bytes our own training stored are ever unpickled, and each process follows
the active version as it changes."""

from __future__ import annotations

import pickle
import zlib

from jingmin.routing import features, model_store
from jingmin.routing.models import RoutingModel

EXECUTED: list[str] = []


class _Trap:
    """A pickle that runs code when loaded, as a forged payload would."""

    def __reduce__(self):
        return (EXECUTED.append, ("ran",))


def test_a_payload_with_a_wrong_mac_is_refused_without_being_unpickled(active_model, caplog):
    EXECUTED.clear()
    forged = zlib.compress(pickle.dumps({"format": 1, "router": _Trap()}))
    RoutingModel.objects.filter(pk=active_model.pk).update(payload=forged)

    assert model_store.active() is None
    assert EXECUTED == []
    assert "not stored by this deployment" in caplog.text


def test_the_process_follows_the_active_version(stored):
    first = stored()
    loaded = model_store.active()
    assert loaded is not None and loaded.version == 1
    assert model_store.active() is loaded, "the same version is not loaded twice"

    second = stored()
    assert second.is_active
    now = model_store.active()
    assert now is not None and now.version == 2 and now is not loaded
    del first


def test_a_round_trip_keeps_the_classifiers(fitted):
    payload, mac = model_store.dump(fitted.router)
    back = model_store.load(payload, mac)
    text = "楼上邻居深夜装修噪音扰民"
    where = features.with_meta(text, address="西门花园5栋", has_district=True, intake="TA10")
    assert back.predict(text, where) == fitted.router.predict(text, where)
