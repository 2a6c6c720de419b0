"""The scripts whose measuring lives in their command line report through `bench/run.py` by what
they print: their Markdown tables and their `label: p50 … ms` lines become figures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent.parent

REPORT = """database ready (postgresql) in 3.1 s

| PostgreSQL, 3,000 person rows | seconds | rows/s |
|---|---:|---:|
| read and check only | 2.5 | 1,200 |
| first import: check and write, one transaction | 10.0 | 300 |

written: 4,000 addresses

| search over the imported ledger (50 runs) | p50 ms | p95 ms |
|---|---:|---:|
| exact phone, officer | 2.8 | 5.7 |

## Training on 2,000 concluded appeals
fit alone (category and unit): 26.5 s
accuracy 0.8989, macro-F1 0.8980
classifiers alone (category and unit): p50 0.78 ms, p95 1.12 ms, mean 0.80 ms, max 2.00 ms
"""


def load_benchenv() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("benchenv", BENCH / "benchenv.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_printed_report_becomes_figures_named_after_its_rows_and_lines() -> None:
    found = {f["name"]: f for f in load_benchenv().parse_printed("x", REPORT)}
    assert list(found) == [
        "x: read and check only",
        "x: first import: check and write, one transaction",
        "x: exact phone, officer",
        "x: fit alone (category and unit)",
        "x: cross-validated macro-F1",
        "x: classifiers alone (category and unit)",
    ]
    assert (
        found["x: read and check only"]["per_s"] == 1200 and found["x: read and check only"]["seconds"] == 2.5
    )
    assert (
        found["x: exact phone, officer"]["p50_ms"] == 2.8
        and found["x: exact phone, officer"]["p95_ms"] == 5.7
    )
    assert found["x: fit alone (category and unit)"]["seconds"] == 26.5
    assert found["x: cross-validated macro-F1"]["macro_f1"] == 0.898
    timed = found["x: classifiers alone (category and unit)"]
    assert (timed["p50_ms"], timed["p95_ms"], timed["per_s"]) == (0.78, 1.12, None)


def test_a_percentile_is_the_nearest_rank() -> None:
    benchenv = load_benchenv()
    assert benchenv.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert benchenv.percentile(list(map(float, range(1, 101))), 95) == 95.0
    figure = benchenv.figure("y", [1.0, 2.0, 3.0], size="tiny")
    assert (figure["p50_ms"], figure["p95_ms"], figure["runs"], figure["size"]) == (2.0, 3.0, 3, "tiny")
