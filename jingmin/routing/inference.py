"""One suggestion, computed from a trained `Router`'s fitted numbers.

scikit-learn checks its input on every call (array validation, dataframe detection), which for
one short text costs several times the arithmetic itself: about 7 ms per suggestion on the
development machine, against a target of 5. This computes the same numbers from the fitted
attributes: each vectoriser's TF-IDF (sublinear counts times idf, L2-normalised) or binary
counts, the linear model's scores, the temperature's softmax, in well under a millisecond beyond jieba's
segmentation. `tests/test_inference.py` checks it against scikit-learn's own `predict_proba`.
Training and evaluation stay with scikit-learn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from jingmin.routing.learning import Router


@dataclass(frozen=True)
class _Vectoriser:
    analyse: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray | None
    sublinear: bool
    binary: bool
    normalise: bool
    offset: int

    @classmethod
    def of(cls, vectoriser: Any, offset: int) -> _Vectoriser:
        norm = getattr(vectoriser, "norm", None)
        if norm not in ("l2", None):
            raise ValueError(f"norm {norm!r} is not supported")
        use_idf = getattr(vectoriser, "use_idf", False)
        return cls(
            analyse=vectoriser.build_analyzer(),
            vocabulary=vectoriser.vocabulary_,
            idf=np.asarray(vectoriser.idf_, dtype=np.float64) if use_idf else None,
            sublinear=bool(getattr(vectoriser, "sublinear_tf", False)),
            binary=bool(vectoriser.binary),
            normalise=norm == "l2",
            offset=offset,
        )

    @property
    def width(self) -> int:
        return len(self.vocabulary)

    def features(self, value: str) -> tuple[np.ndarray, np.ndarray] | None:
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for token in self.analyse(value):
            j = vocabulary.get(token)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return None
        index = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        weight = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.binary:
            weight[:] = 1.0
        if self.sublinear:
            weight = np.log(weight) + 1.0
        if self.idf is not None:
            weight *= self.idf[index]
        if self.normalise:
            norm = float(np.sqrt(weight @ weight))
            if norm > 0:
                weight /= norm
        return index + self.offset, weight


@dataclass(frozen=True)
class _Scorer:
    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    beta: float

    @classmethod
    def of(cls, calibrated: Any) -> _Scorer:
        (fitted,) = calibrated.calibrated_classifiers_  # ensemble=False: one model
        (calibrator,) = fitted.calibrators
        linear = fitted.estimator
        return cls(
            classes=[str(c) for c in calibrated.classes_],
            # Ridge keeps two labels' single score as a vector and a number, the SVM as one row.
            coef=np.ascontiguousarray(np.atleast_2d(linear.coef_), dtype=np.float64),
            intercept=np.atleast_1d(np.asarray(linear.intercept_, dtype=np.float64)),
            beta=float(calibrator.beta_),
        )

    def best(self, parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[str, float]:
        scores = self.intercept.copy()
        for index, weight in parts:
            scores += self.coef[:, index] @ weight
        # Two labels: one score, for the second against the first, as scikit-learn does.
        logits = np.array([-scores[0], scores[0]]) if self.coef.shape[0] == 1 else scores
        z = self.beta * logits
        z -= z.max()
        p = np.exp(z)
        p /= p.sum()
        i = int(p.argmax())
        return self.classes[i], float(p[i])


class Compiled:
    """A Router's numbers, ready for one text at a time."""

    def __init__(self, router: Router) -> None:
        offset = 0
        self.text: list[_Vectoriser] = []
        for _name, vectoriser in router.text.transformer_list:
            part = _Vectoriser.of(vectoriser, offset)
            self.text.append(part)
            offset += part.width
        self.category = _Scorer.of(router.category)
        self.where = _Vectoriser.of(router.where, offset) if router.where is not None else None
        self.unit = _Scorer.of(router.unit) if router.unit is not None else None

    def predict(
        self, text: str, where: str | None = None
    ) -> tuple[tuple[str, float], tuple[str, float] | None]:
        """As `Router.predict`: the best category and (given `where`) unit, with probabilities."""
        from jingmin.routing.features import segmentation_memo

        with segmentation_memo():
            parts = [f for f in (v.features(text) for v in self.text) if f is not None]
            category = self.category.best(parts)
            unit = None
            if self.unit is not None and self.where is not None and where is not None:
                here = self.where.features(where)
                unit = self.unit.best(parts + ([here] if here is not None else []))
        return category, unit
