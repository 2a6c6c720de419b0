"""Routing: macro-F1 on a labelled CSV, suggestion latency, training time, duplicate detection.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jingmin_bench_routing \\
        .venv/bin/python bench/routing_bench.py ../shared/data/appeal-titles-labelled.csv

What it prints:

1. 5-fold cross-validated accuracy and macro-F1 of the category classifier on the CSV (columns
   `text` and `label`), as `manage.py routing_evaluate` computes them, with the time it took;
   then the macro-F1 over `--splits` different shuffles of the folds (the first is the command's).
2. Training time on 10,000 concluded appeals (`--train`): the fit alone (what a new version
   costs beyond its evaluation), and the whole retraining as the task runs it (5-fold evaluation
   of the category and the unit classifier, then both fits).
3. Suggestion latency per appeal on one core (the process is pinned to CPU 0, BLAS threads to
   one): the two classifiers alone, and `suggest.suggestion_for` as the intake endpoint calls it
   (active-version check, both classifiers, the category and unit looked up), p50 and p95 over
   `--runs` appeals' texts.
4. Duplicate detection over `--open` open appeals (100,000): `duplicates.likely_duplicates` for a
   new appeal with a police district and without one (the clerk's whole station), p50 and p95.

The database (its name must end in `_bench_routing`) is created and migrated if missing. Unless it
already holds the organisation and the appeals, it is dropped, recreated and loaded: a city-sized
organisation (`org.demo.seed_org(size="city")`) and appeals written by the demo generator
(`appeals.demo`), of which `--open` are made open and received within the duplicate window
(ROUTING_DUPLICATE_WEEKS) and the rest stay as the generator concluded them. Later runs reuse it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchenv import configure, database_name, postgres_database, printed_figures

# One core for the latency figures, as the target asks; set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jingmin_bench_routing"
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "appeal-titles-labelled.csv"


def create_database(url: str, *, fresh: bool) -> None:
    name = database_name(url)
    if not name.endswith("_bench_routing"):
        raise SystemExit(f"refusing to use {name!r}: the database's name must end in _bench_routing")
    postgres_database(url, fresh=fresh)


def pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(values: list[float]) -> str:
    v = [x * 1000 for x in values]
    return f"p50 {pct(v, 50):.2f} ms, p95 {pct(v, 95):.2f} ms, mean {statistics.fmean(v):.2f} ms, max {max(v):.2f} ms"


# ---------------------------------------------------------------------------------------------
# Loading


def load(*, open_count: int, concluded: int, seed: int) -> None:
    """The organisation and appeals, written in bulk (rows only: no events are needed here)."""
    from django.conf import settings

    from jingmin.appeals.demo import demo_world, generate_chunk, schedule
    from jingmin.appeals.models import OPEN_STATES, Appeal, State
    from jingmin.core.writes import composing
    from jingmin.org.demo import seed_org

    started = time.monotonic()
    with composing():
        org = seed_org(seed=seed, size="city")
    print(f"organisation: {len(org.stations)} stations, {len(org.districts)} districts", flush=True)
    now = datetime.now(UTC).replace(microsecond=0)
    world = demo_world(org, seed=seed, citizens=20_000)
    # Enough of the generator's year that `concluded` of them were concluded.
    total = open_count + int(concluded * 1.25)
    plan = schedule(world, seed=seed, count=total, now=now)
    window = timedelta(weeks=settings.ROUTING_DUPLICATE_WEEKS)
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    made_open = kept = 0
    for chunk in range(plan.chunks):
        batch = generate_chunk(world, plan, chunk, seed=seed, now=now, first_id=1)
        rows = []
        for row in batch.appeals:
            if made_open < open_count:
                # Open, waiting for dispatch at its station, received within the window.
                row.update(
                    state=State.ACCEPTED,
                    is_open=True,
                    unit_id=row["intake_unit_id"],
                    unit_path=row["intake_unit_path"],
                    handler_id=None,
                    dispatcher_unit_id=None,
                    merged_into_id=None,
                    result="",
                    result_note="",
                    concluded_at=None,
                    due_at=None,
                    received_at=now - rng.random() * window,
                )
                made_open += 1
            elif row["result"] and row["state"] not in OPEN_STATES and row["merged_into_id"] is None:
                kept += 1
            else:
                continue
            rows.append(Appeal(**row))
        Appeal.objects.bulk_create(rows, batch_size=2000)
        print(f"  chunk {chunk + 1}/{plan.chunks}: {made_open:,} open, {kept:,} concluded", flush=True)
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Appeal]):
            cursor.execute(sql)
        cursor.execute("VACUUM (ANALYZE) appeals_appeal")
    print(f"loaded in {time.monotonic() - started:.0f} s", flush=True)


# ---------------------------------------------------------------------------------------------
# Measuring


def measure_csv(path: Path, folds: int, splits: int) -> None:
    from jingmin.routing import learning, training

    texts, labels = training.read_csv(path)
    data = learning.Dataset.of(texts, labels)
    started = time.monotonic()
    evaluation = learning.evaluate(data, folds=folds)
    elapsed = time.monotonic() - started
    print(f"\n## {folds}-fold cross-validation on {path.name}")
    print(f"{evaluation.samples} examples, {len(evaluation.labels)} labels, {elapsed:.0f} s")
    print(f"accuracy {evaluation.accuracy:.4f}, macro-F1 {evaluation.macro_f1:.4f}")
    for s in evaluation.per_label:
        print(f"  {s.label}: F1 {s.f1:.4f} (precision {s.precision:.4f}, recall {s.recall:.4f}, {s.support})")
    # One split's figure moves by several thousandths with the shuffle; the spread over other
    # shuffles says how much of a difference between two models is the split's.
    others = [learning.evaluate(data, folds=folds, seed=seed).macro_f1 for seed in range(1, splits)]
    if others:
        every = [evaluation.macro_f1, *others]
        print(
            f"macro-F1 over {len(every)} shuffles of the folds (seeds 0–{len(every) - 1}): "
            + ", ".join(f"{f:.4f}" for f in every)
            + f"; mean {statistics.fmean(every):.4f}, lowest {min(every):.4f}, highest {max(every):.4f}"
        )


def measure_training(count: int, folds: int) -> Any:
    from jingmin.routing import learning, services, training

    data = training.from_appeals(limit=count)
    print(f"\n## Training on {len(data.category.texts):,} concluded appeals")
    print(
        f"{data.category.label_count} categories; {len(data.unit.texts) if data.unit else 0:,} with a unit, "
        f"{data.unit.label_count if data.unit else 0} units"
    )
    started = time.monotonic()
    learning.train(data.category, data.unit)
    print(f"fit alone (category and unit): {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    trained = services.fit(data, folds=folds)
    print(
        f"retraining as the task runs it ({folds}-fold evaluation of both, then both fits): {time.monotonic() - started:.1f} s"
    )
    print(
        f"cross-validated macro-F1: category {trained.category.macro_f1:.4f}"
        + (f", unit {trained.unit.macro_f1:.4f}" if trained.unit else "")
    )
    row = services.routing_model_store(actor=None, training=data, trained=trained, trained_by="routing_bench")
    print(f"stored as version {row.version}, {len(row.payload) / 1e6:.1f} MB")
    return row


def pick_open(rng: random.Random, n: int) -> list[Any]:
    from jingmin.appeals.models import Appeal

    ids = list(Appeal.objects.filter(is_open=True).values_list("pk", flat=True))
    chosen = rng.sample(ids, min(n, len(ids)))
    return list(Appeal.objects.filter(pk__in=chosen).select_related("district", "intake_unit"))


def clerk_of(unit_id: int, cache: dict[int, Any]) -> Any:
    from jingmin.org.models import User
    from jingmin.org.roles import Role

    if unit_id not in cache:
        cache[unit_id] = User.objects.select_related("unit").filter(unit_id=unit_id, role=Role.CLERK).first()
    return cache[unit_id]


def measure_suggestions(runs: int, seed: int) -> None:
    from jingmin.routing import model_store
    from jingmin.routing.features import appeal_text, with_meta
    from jingmin.routing.suggest import suggestion_for

    rng = random.Random(seed)  # noqa: S311
    appeals = pick_open(rng, runs + 20)
    clerks: dict[int, Any] = {}
    loaded = model_store.active()
    assert loaded is not None
    warm, timed = appeals[:20], appeals[20:]
    for a in warm:
        suggestion_for(actor=clerk_of(a.intake_unit_id, clerks), title=a.title, content=a.content)
    alone: list[float] = []
    whole: list[float] = []
    for a in timed:
        text = appeal_text(a.title, a.content)
        start = time.perf_counter()
        where = with_meta(
            text, address=a.address, has_district=a.district_id is not None, intake=a.intake_unit.code
        )
        loaded.compiled.predict(text, where)
        alone.append(time.perf_counter() - start)
        clerk = clerk_of(a.intake_unit_id, clerks)
        start = time.perf_counter()
        suggestion_for(actor=clerk, title=a.title, content=a.content, address=a.address, district=a.district)
        whole.append(time.perf_counter() - start)
    chars = statistics.fmean(len(a.title) + len(a.content) for a in timed)
    print(f"\n## Suggestion latency, one core ({len(timed)} appeals, {chars:.0f} characters on average)")
    print(f"classifiers alone (category and unit): {ms(alone)}")
    print(f"suggest.suggestion_for (with its queries): {ms(whole)}")


def measure_duplicates(runs: int, seed: int) -> None:
    from django.db import connection

    from jingmin.appeals.models import Appeal
    from jingmin.routing.duplicates import MAX_CANDIDATES, candidates, likely_duplicates

    open_count = Appeal.objects.filter(is_open=True).count()
    rng = random.Random(seed + 1)  # noqa: S311
    appeals = pick_open(rng, runs + 10)
    clerks: dict[int, Any] = {}
    results = []
    for label, with_district in (
        ("with its police district", True),
        ("without one (the clerk's station)", False),
    ):
        times: list[float] = []
        found: list[int] = []
        scored: list[int] = []
        for i, a in enumerate(appeals):
            clerk = clerk_of(a.intake_unit_id, clerks)
            district = a.district if with_district else None
            start = time.perf_counter()
            rows = likely_duplicates(
                actor=clerk,
                title=a.title,
                content=a.content,
                address=a.address,
                district=district,
                exclude=a.pk,
            )
            elapsed = time.perf_counter() - start
            if i >= 10:
                times.append(elapsed)
                found.append(len(rows))
                scored.append(
                    len(
                        candidates(
                            actor=clerk, title=a.title, content=a.content, district=district, exclude=a.pk
                        )[:MAX_CANDIDATES]
                    )
                )
        results.append((label, times, found, scored))
    print(f"\n## Duplicate detection over {open_count:,} open appeals ({len(appeals) - 10} new appeals)")
    for label, times, found, scored in results:
        print(
            f"{label}: {ms(times)}; candidates scored {statistics.fmean(scored):.0f} on average "
            f"(at most {MAX_CANDIDATES}), {statistics.fmean(found):.1f} listed"
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        print(f"\nserver: {cursor.fetchone()[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV, help="labelled CSV (text, label)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--splits", type=int, default=5, help="shuffles of the CSV's folds to report")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--open", type=int, default=100_000, help="open appeals for duplicate detection")
    parser.add_argument("--train", type=int, default=10_000, help="concluded appeals to train on")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reload", action="store_true", help="drop the database and load it again")
    parser.add_argument("--skip-csv", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "the benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…/jingmin_bench_routing"
        )
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    configure(url)
    create_database(url, fresh=False)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from jingmin.appeals.models import Appeal
    from jingmin.org.models import Unit

    call_command("migrate", verbosity=0)
    have_open = Appeal.objects.filter(is_open=True).count()
    have_done = Appeal.objects.exclude(result="").count()
    if args.reload or not Unit.objects.exists() or have_open < args.open or have_done < args.train:
        connections.close_all()
        create_database(url, fresh=True)
        call_command("migrate", verbosity=0)
        load(open_count=args.open, concluded=args.train, seed=args.seed)
    if not args.skip_csv:
        if not args.csv.exists():
            raise SystemExit(f"{args.csv} not found: pass the labelled CSV's path")
        measure_csv(args.csv, args.folds, args.splits)
    measure_training(args.train, args.folds)
    measure_suggestions(args.runs, args.seed)
    measure_duplicates(args.runs, args.seed)
    print(f"\nCPU affinity {sorted(os.sched_getaffinity(0))} of {os.cpu_count()} cores")


def figures(scale: str) -> Iterator[dict[str, Any]]:
    """For `bench/run.py`: this script's report, on 5,000 open appeals and 2,000 to train on
    without the CSV's cross-validation and with 2 folds (small), or at its full size with the CSV
    (city)."""
    argv = [
        "--skip-csv",
        "--open",
        "5000",
        "--train",
        "2000",
        "--runs",
        "50",
        "--splits",
        "1",
        "--folds",
        "2",
    ]
    if scale == "city":
        argv = ["--splits", "1"]
    yield from printed_figures("routing", Path(__file__), argv)


if __name__ == "__main__":
    main()
