"""The nightly early-warning sweep (`manage.py warnings_sweep`) over a city-year on PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/warnings_bench.py --scale city      # or: bench/run.py --only warnings

What it does:

1. `city.ensure(scale)` makes sure the scale's database holds its city-year (`bench/city.py`: at
   `city`, a million appeals, a million visits with family news on one in twenty, 24,000
   disputes, a tenth of them open and a third of those past their deadline; repeat callers,
   repeated addresses and risk words planted in the texts).
2. Runs `warnings.services.signals_sweep` as the nightly command does (`now` the end of the
   generated year, texts of the last two days read for risk words) twice: the first sweep of a
   city with no signals yet (every finding raised), then the same sweep again (what a normal
   night finds: nothing new, every finding compared with its signal). Both run inside one
   transaction rolled back at the end, so the database stays as loaded and the figures repeat;
   the commits' waits for the disk are therefore not in them.
3. Yields the two figures (minutes, findings, what happened to the signals).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from benchenv import figure


class _RolledBack(Exception):
    pass


def measure(scale: str) -> list[dict[str, Any]]:
    import city as city_data

    city = city_data.ensure(scale)

    from jingmin.core.writes import composing
    from jingmin.warnings.models import Signal
    from jingmin.warnings.services import signals_sweep

    now = city.ends
    since = now - timedelta(days=2)
    out: list[dict[str, Any]] = []
    before = Signal.objects.count()
    try:
        # Both sweeps in one transaction, rolled back at the end: the city is left as it was.
        with composing():
            for label in ("first sweep of the city (no signals yet)", "the same sweep again (nothing new)"):
                started = time.perf_counter()
                result = signals_sweep(now=now, since=since)
                elapsed = time.perf_counter() - started
                out.append(
                    figure(
                        f"warnings: nightly sweep, {label}",
                        [elapsed * 1000],
                        minutes=round(elapsed / 60, 2),
                        findings=result.findings,
                        outcomes=dict(result.outcomes),
                        signals_before=before if not out else Signal.objects.count(),
                        size=city.size_note(),
                    )
                )
            raise _RolledBack
    except _RolledBack:
        pass
    return out


def figures(scale: str) -> Iterator[dict[str, Any]]:
    yield from measure(scale)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["small", "city"], default="city")
    args = parser.parse_args()
    for f in measure(args.scale):
        print(json.dumps(f, ensure_ascii=False))


if __name__ == "__main__":
    main()
