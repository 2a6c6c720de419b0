"""`routing_evaluate` and `routing_train` on a CSV file and on the appeals: the report's format
(per label, the confusion matrix, `macro_f1=<value>` last) and clear refusals."""

from __future__ import annotations

import csv
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jingmin.routing import learning
from jingmin.routing.models import RoutingModel, Source
from jingmin.routing.tests.conftest import generated_training_set

NAMES = {"order-noise": "噪音扰民", "traffic-parking": "违停占道", "fraud-telecom": "电信网络诈骗"}


def write_csv(path: Path, *, text: str = "text", label: str = "label", names: bool = False) -> Path:
    data = generated_training_set(count=36)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([text, label, "orig_split"])
        for t, y in zip(data.category.texts, data.category.labels, strict=True):
            writer.writerow([t, NAMES[y] if names else y, "train"])
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_evaluate_prints_per_label_figures_the_confusion_matrix_and_macro_f1_last(tmp_path, db):
    output = run("routing_evaluate", "--csv", str(write_csv(tmp_path / "a.csv")), "--folds", "3")
    lines = output.strip().splitlines()
    assert lines[0] == "examples: 36, labels: 3, folds: 3"
    assert re.fullmatch(r"macro_f1=\d\.\d{4}", lines[-1])
    assert float(lines[-1].split("=")[1]) > 0.8
    assert re.search(r"^accuracy: \d\.\d{4}$", output, re.M)
    for code in NAMES:
        assert re.search(rf"^{code}\s+\d\.\d{{4}}\s+\d\.\d{{4}}\s+\d\.\d{{4}}\s+12$", output, re.M)
    matrix = lines[lines.index(next(x for x in lines if x.startswith("confusion matrix"))) + 1 :][:3]
    assert sum(int(v) for row in matrix for v in row.split()[1:]) == 36


def test_evaluate_is_repeatable_and_takes_the_shuffle_as_a_seed(tmp_path, db, monkeypatch):
    path = str(write_csv(tmp_path / "s.csv"))
    first = run("routing_evaluate", "--csv", path, "--folds", "3")
    assert run("routing_evaluate", "--csv", path, "--folds", "3", "--seed", "0") == first
    seeds: list[int] = []
    evaluate = learning.evaluate

    def spy(*args, **kwargs):
        seeds.append(kwargs["seed"])
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(learning, "evaluate", spy)
    other = run("routing_evaluate", "--csv", path, "--folds", "3", "--seed", "7")
    assert seeds == [7]
    assert other.strip().splitlines()[0] == "examples: 36, labels: 3, folds: 3"
    assert re.fullmatch(r"macro_f1=\d\.\d{4}", other.strip().splitlines()[-1])


def test_evaluate_reads_other_column_names(tmp_path, db):
    path = write_csv(tmp_path / "b.csv", text="title", label="category")
    output = run(
        "routing_evaluate",
        "--csv",
        str(path),
        "--text-column",
        "title",
        "--label-column",
        "category",
        "--folds",
        "2",
    )
    assert output.strip().splitlines()[-1].startswith("macro_f1=")


def test_evaluate_names_a_missing_column(tmp_path, db):
    with pytest.raises(CommandError, match="no column 'text'"):
        run("routing_evaluate", "--csv", str(write_csv(tmp_path / "c.csv", text="body")))
    with pytest.raises(CommandError, match="cannot be read"):
        run("routing_evaluate", "--csv", str(tmp_path / "missing.csv"))


def test_train_on_a_csv_maps_category_names_to_codes(tmp_path, persona):
    output = run("routing_train", "--csv", str(write_csv(tmp_path / "d.csv", names=True)), "--folds", "3")
    row = RoutingModel.objects.get()
    assert row.source == Source.CSV and row.is_active and row.unit_macro_f1 is None
    assert row.description == "d.csv (text, label)"
    assert sorted(s["label"] for s in row.evaluation["category"]["per_label"]) == sorted(NAMES)
    assert "stored version 1 (active)" in output


def test_train_on_the_appeals_for_cron(history):
    output = run("routing_train", "--folds", "3", "--no-activate")
    row = RoutingModel.objects.get()
    assert row.source == Source.APPEALS and not row.is_active and row.trained_by == "routing_train"
    assert "stored version 1 (not active)" in output


def test_train_refuses_too_few_appeals(db):
    with pytest.raises(CommandError, match=r"Too few examples|太少"):
        run("routing_train")
    assert not RoutingModel.objects.exists()
