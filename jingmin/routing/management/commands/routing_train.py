"""Train a new routing model version: on the concluded appeals (the default, for cron), or on a
CSV file of texts and category labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingmin.core.errors import ServiceError
from jingmin.routing import learning, services, training


class Command(BaseCommand):
    help = (
        "Train a routing model on the concluded appeals (or on --csv), cross-validate it, store it as "
        "the next version and make it active."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", type=Path, help="train on this CSV file instead of the appeals")
        parser.add_argument("--text-column", default="text")
        parser.add_argument("--label-column", default="label", help="category codes or names")
        parser.add_argument("--folds", type=int, default=settings.ROUTING_EVALUATION_FOLDS)
        parser.add_argument(
            "--no-activate", action="store_true", help="store the version without making it active"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["folds"] < 2:
            raise CommandError("--folds must be at least 2")
        try:
            if options["csv"] is not None:
                data, unknown = training.from_csv(
                    options["csv"], text_column=options["text_column"], label_column=options["label_column"]
                )
                if unknown:
                    self.stderr.write(
                        f"{len(unknown)} of {data.category.label_count} labels name no category, "
                        "so they are never suggested: " + ", ".join(sorted(unknown)[:20])
                    )
            else:
                data = training.from_appeals()
            row = services.routing_model_train(
                actor=None,
                training=data,
                folds=options["folds"],
                trained_by="routing_train",
                activate=not options["no_activate"],
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        category = learning.Evaluation.from_dict(row.evaluation["category"])
        self.stdout.write("\n".join(learning.evaluation_report(category)[:3]))
        if row.unit_macro_f1 is not None:
            self.stdout.write(f"handling unit: {row.unit_labels} units, macro-F1 {row.unit_macro_f1:.4f}")
        state = "active" if row.is_active else "not active"
        self.stdout.write(
            f"stored version {row.version} ({state}): {row.samples} examples, {row.get_source_display()} "
            f"{row.description}, {len(row.payload) / 1e6:.1f} MB, {row.training_seconds:.1f} s"
        )
