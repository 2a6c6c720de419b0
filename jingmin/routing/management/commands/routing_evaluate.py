"""Cross-validate the routing classifier on a CSV file and print its figures (stores nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingmin.core.errors import ServiceError
from jingmin.routing import learning, training


class Command(BaseCommand):
    help = (
        "Cross-validate the category classifier on a CSV file: accuracy and macro-F1 overall and per "
        "label, the confusion matrix, and as the last line macro_f1=<value>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", type=Path, required=True)
        parser.add_argument("--text-column", default="text")
        parser.add_argument("--label-column", default="label")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            help="how the examples are shuffled into folds; other seeds show how much the figures move",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["folds"] < 2:
            raise CommandError("--folds must be at least 2")
        try:
            texts, labels = training.read_csv(
                options["csv"], text_column=options["text_column"], label_column=options["label_column"]
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        data = learning.Dataset.of(texts, labels)
        if not data.trainable:
            raise CommandError(
                f"too few examples: at least two labels with {learning.MIN_PER_LABEL} examples each are needed"
            )
        evaluation = learning.evaluate(data, folds=options["folds"], seed=options["seed"])
        self.stdout.write("\n".join(learning.evaluation_report(evaluation)))
