"""The classifiers: how they are built, trained and cross-validated.

TF-IDF over character 1–3-grams (most Chinese words are one or two characters, and n-grams need
no dictionary) beside TF-IDF over jieba's words in search mode (a word and its parts), into a
linear classifier fitted by ridge regression (one score per label), each label's examples
weighted as if all labels were equally common. Its scores become probabilities by temperature
scaling (one temperature for all labels, fitted on cross-validated scores); the probability of
the top label is the confidence shown to the clerk. The choices, and what else was tried, are measured in
docs/benchmarks.md ("Routing").

The unit classifier reads the same text features plus where the appeal is (`features.with_meta`:
the address's bigrams, whether the form names a police district, the intake unit).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jingmin.routing import features

# The temperature is fitted on scores of this many folds, so every label needs at least this
# many examples in each training fold of an evaluation; labels with fewer than MIN_PER_LABEL
# examples are left out (and named in the evaluation).
CALIBRATION_FOLDS = 3
MIN_PER_LABEL = 6
# Ridge's penalty; the figures for 0.5–1.5 are in docs/benchmarks.md.
RIDGE_ALPHA = 0.7


# scikit-learn is imported when a model is built or loaded, not by every process at start-up.
def _text_parts() -> list[tuple[str, Any]]:
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    return [
        (
            "chars",
            TfidfVectorizer(
                analyzer="char", preprocessor=features.text_part, ngram_range=(1, 3), sublinear_tf=True
            ),
        ),
        ("words", TfidfVectorizer(analyzer=features.words, sublinear_tf=True)),
    ]


def _where() -> Any:
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer=features.meta_tokens, binary=True)


def _linear() -> Any:
    """Ridge regression on one score per label. Against the linear SVM it replaced it gains about
    0.003 macro-F1 on the labelled titles, most of it from the balanced weights: macro-F1 counts
    a rare label as much as a common one, and so does the clerk who must find it."""
    from sklearn.linear_model import RidgeClassifier  # type: ignore[import-untyped]

    # LSQR to a tolerance of 1e-3 fits in half the time of the default conjugate gradient to
    # 1e-4, with the same figures on the labelled titles (scores within 0.006).
    return RidgeClassifier(alpha=RIDGE_ALPHA, class_weight="balanced", solver="lsqr", tol=1e-3)


def _classifier() -> Any:
    from sklearn.calibration import CalibratedClassifierCV  # type: ignore[import-untyped]

    # One model trained on every example (ensemble=False): one to run per suggestion; the
    # cross-validated folds serve only to fit the temperature.
    return CalibratedClassifierCV(_linear(), method="temperature", cv=CALIBRATION_FOLDS, ensemble=False)


def build_pipeline(*, with_meta: bool = False, calibrated: bool = True) -> Any:
    """The classifier as one scikit-learn pipeline. Cross-validation leaves the calibration out:
    a temperature divides every score alike, so the best label, and with it every figure of the
    evaluation, is the linear model's own, at a quarter of the fits."""
    from sklearn.pipeline import FeatureUnion, Pipeline  # type: ignore[import-untyped]

    parts = _text_parts() + ([("where", _where())] if with_meta else [])
    classifier = _classifier() if calibrated else _linear()
    return Pipeline([("features", FeatureUnion(parts)), ("classify", classifier)])


def _fast() -> Any:
    """Skip scikit-learn's input checks when predicting one text: our own vectorisers made the
    input, and the checks cost more than the prediction."""
    import sklearn  # type: ignore[import-untyped]

    return sklearn.config_context(assume_finite=True, skip_parameter_validation=True)


@dataclass
class Router:
    """The stored classifiers. The text is vectorised once for both: the unit classifier reads
    the category classifier's text features (its vocabulary is of the same appeals) beside its own
    features of where the appeal is. Labels are category codes, and unit codes or
    `training.OWN_DISTRICT` / `INTAKE_UNIT`."""

    text: Any
    category: Any
    where: Any = None
    unit: Any = None

    def _text_features(self, texts: Sequence[str]) -> Any:
        from scipy import sparse  # type: ignore[import-untyped]

        # What FeatureUnion.transform computes, without its job dispatch (a third of the time).
        return sparse.hstack([t.transform(texts) for _name, t in self.text.transformer_list], format="csr")

    def _unit_features(self, text_features: Any, wheres: Sequence[str]) -> Any:
        from scipy import sparse

        return sparse.hstack([text_features, self.where.transform(wheres)], format="csr")

    def probabilities(
        self, texts: Sequence[str], wheres: Sequence[str] | None = None
    ) -> tuple[list[tuple[str, float]], list[tuple[str, float]] | None]:
        """The best category (and unit, given `wheres`) of each text, with its probability."""

        def best(classifier: Any, x: Any) -> list[tuple[str, float]]:
            rows = classifier.predict_proba(x)
            top = rows.argmax(axis=1)
            return [(str(classifier.classes_[i]), float(r[i])) for r, i in zip(rows, top, strict=True)]

        with _fast(), features.segmentation_memo():
            x = self._text_features(texts)
            categories = best(self.category, x)
            units = None
            if self.unit is not None and wheres is not None:
                units = best(self.unit, self._unit_features(x, wheres))
        return categories, units

    def predict(
        self, text: str, where: str | None = None
    ) -> tuple[tuple[str, float], tuple[str, float] | None]:
        categories, units = self.probabilities([text], [where] if where is not None else None)
        return categories[0], units[0] if units else None


@dataclass(frozen=True)
class Dataset:
    """Texts and their labels, after leaving out labels too rare to learn."""

    texts: list[str]
    labels: list[str]
    left_out: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(
        cls, texts: Sequence[str], labels: Sequence[str], *, min_per_label: int = MIN_PER_LABEL
    ) -> Dataset:
        counts = Counter(labels)
        keep = {label for label, n in counts.items() if n >= min_per_label}
        pairs = [(t, y) for t, y in zip(texts, labels, strict=True) if y in keep and t.strip()]
        return cls(
            texts=[t for t, _y in pairs],
            labels=[y for _t, y in pairs],
            left_out={label: n for label, n in sorted(counts.items()) if label not in keep},
        )

    @property
    def label_count(self) -> int:
        return len(set(self.labels))

    @property
    def trainable(self) -> bool:
        return self.label_count >= 2


@dataclass(frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    """Cross-validated figures: every example is predicted by a model that never saw it."""

    samples: int
    folds: int
    accuracy: float
    macro_f1: float
    per_label: list[LabelScore]
    confusion: list[list[int]]
    left_out: dict[str, int]
    seconds: float

    @property
    def labels(self) -> list[str]:
        return [s.label for s in self.per_label]

    def as_dict(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "folds": self.folds,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_label": [s.__dict__ for s in self.per_label],
            "confusion": self.confusion,
            "left_out": self.left_out,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evaluation:
        return cls(
            samples=data["samples"],
            folds=data["folds"],
            accuracy=data["accuracy"],
            macro_f1=data["macro_f1"],
            per_label=[LabelScore(**s) for s in data["per_label"]],
            confusion=data["confusion"],
            left_out=data.get("left_out", {}),
            seconds=data.get("seconds", 0.0),
        )


def fold_count(data: Dataset, wanted: int) -> int:
    """As many folds as asked, but no more than the rarest label has examples."""
    rarest = min(Counter(data.labels).values())
    return max(2, min(wanted, rarest))


def evaluate(data: Dataset, *, folds: int = 5, with_meta: bool = False, seed: int = 0) -> Evaluation:
    """Stratified k-fold cross-validation of the pipeline that `train` would build."""
    from sklearn.metrics import (  # type: ignore[import-untyped]
        accuracy_score,
        confusion_matrix,
        f1_score,
        precision_recall_fscore_support,
    )
    from sklearn.model_selection import (  # type: ignore[import-untyped]
        StratifiedKFold,
        cross_val_predict,
    )

    started = time.monotonic()
    k = fold_count(data, folds)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    with features.segmentation_memo():
        predicted = cross_val_predict(
            build_pipeline(with_meta=with_meta, calibrated=False), data.texts, data.labels, cv=splitter
        )
    labels = sorted(set(data.labels))
    precision, recall, f1, support = precision_recall_fscore_support(
        data.labels, predicted, labels=labels, zero_division=0
    )
    matrix = confusion_matrix(data.labels, predicted, labels=labels)
    return Evaluation(
        samples=len(data.labels),
        folds=k,
        accuracy=float(accuracy_score(data.labels, predicted)),
        macro_f1=float(f1_score(data.labels, predicted, labels=labels, average="macro", zero_division=0)),
        per_label=[
            LabelScore(label, float(p), float(r), float(f), int(s))
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        ],
        confusion=[[int(v) for v in row] for row in matrix],
        left_out=dict(data.left_out),
        seconds=time.monotonic() - started,
    )


def train(category: Dataset, unit: Dataset | None = None) -> Router:
    """Fit the stored classifiers on every example."""
    from scipy import sparse

    with features.segmentation_memo():
        text = _text_parts_union()
        router = Router(
            text=text, category=_classifier().fit(text.fit_transform(category.texts), category.labels)
        )
        if unit is not None and unit.trainable:
            router.where = _where()
            x = sparse.hstack(
                [router._text_features(unit.texts), router.where.fit_transform(unit.texts)], format="csr"
            )
            router.unit = _classifier().fit(x, unit.labels)
    return router


def _text_parts_union() -> Any:
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(_text_parts())


def evaluation_report(evaluation: Evaluation) -> list[str]:
    """The evaluation as lines of text: overall figures, per label, the confusion matrix, and
    last `macro_f1=<value>` (scripts read the last line)."""
    labels = evaluation.labels
    width = max([len(label) for label in labels] + [5])
    lines = [
        f"examples: {evaluation.samples}, labels: {len(labels)}, folds: {evaluation.folds}",
        f"accuracy: {evaluation.accuracy:.4f}",
        f"macro-F1: {evaluation.macro_f1:.4f}",
    ]
    if evaluation.left_out:
        lines.append(
            f"left out (fewer than {MIN_PER_LABEL} examples): "
            + ", ".join(f"{label} ({n})" for label, n in evaluation.left_out.items())
        )
    lines += ["", f"{'label':<{width}}  precision  recall      f1  support"]
    for s in evaluation.per_label:
        lines.append(f"{s.label:<{width}}  {s.precision:9.4f}  {s.recall:6.4f}  {s.f1:6.4f}  {s.support:7d}")
    lines += ["", "confusion matrix (rows: true label, columns: predicted, in the order above):"]
    cell = max([len(str(v)) for row in evaluation.confusion for v in row] + [3])
    for label, row in zip(labels, evaluation.confusion, strict=True):
        lines.append(f"{label:<{width}}  " + " ".join(f"{v:>{cell}}" for v in row))
    lines += ["", f"macro_f1={evaluation.macro_f1:.4f}"]
    return lines
