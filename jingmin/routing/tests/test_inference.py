"""The lean path that answers the intake form computes what scikit-learn computes: the same best
label and the same probability, for the category and the unit, with two labels or more, for words
it knows and words it does not."""

from __future__ import annotations

import math

from jingmin.routing import features, learning
from jingmin.routing.inference import Compiled
from jingmin.routing.tests.conftest import generated_training_set

TEXTS = [
    ("楼上邻居深夜装修噪音扰民", "西门花园5栋"),
    ("接到冒充公检法的诈骗电话，对方让我转账", "东门小区"),
    ("小区门口车辆乱停，消防通道被堵", ""),
    ("咨询一下办事时间", "某某路"),
    ("ＸＹＺ", ""),  # nothing the vocabularies hold
]


def agree(router: learning.Router) -> None:
    compiled = Compiled(router)
    for text, address in TEXTS:
        where = features.with_meta(text, address=address, has_district=bool(address), intake="TA10")
        expected = router.predict(text, where)
        got = compiled.predict(text, where)
        assert got[0][0] == expected[0][0] and math.isclose(got[0][1], expected[0][1], rel_tol=1e-9)
        if expected[1] is None:
            assert got[1] is None
        else:
            assert got[1] is not None and got[1][0] == expected[1][0]
            assert math.isclose(got[1][1], expected[1][1], rel_tol=1e-9)


def test_the_lean_path_agrees_with_scikit_learn(fitted):
    agree(fitted.router)


def test_it_agrees_with_two_labels_too():
    data = generated_training_set(count=40)
    keep = [i for i, y in enumerate(data.category.labels) if y != "fraud-telecom"]
    two = learning.Dataset.of([data.category.texts[i] for i in keep], [data.category.labels[i] for i in keep])
    assert two.label_count == 2
    agree(learning.train(two))


def test_versions_stored_as_linear_svms_still_answer(monkeypatch):
    """Versions trained before the switch to ridge regression hold calibrated linear SVMs; an
    upgraded process must keep suggesting from them until the next version is trained."""
    from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

    monkeypatch.setattr(learning, "_linear", lambda: LinearSVC(C=0.7, max_iter=5000))
    data = generated_training_set(count=40)
    router = learning.train(data.category, data.unit)
    assert isinstance(router.category.calibrated_classifiers_[0].estimator, LinearSVC)
    agree(router)
    keep = [i for i, y in enumerate(data.category.labels) if y != "fraud-telecom"]
    agree(
        learning.train(
            learning.Dataset.of(
                [data.category.texts[i] for i in keep], [data.category.labels[i] for i in keep]
            )
        )
    )
