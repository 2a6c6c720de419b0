"""`bench/run.py` finds every benchmark module and `--only` keeps what it names, shown on tiny
fake modules (the real benchmarks fill databases for minutes and are not run here)."""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent

FAKE = """
import sys

def figures(scale):
    print("progress that must not reach the figures")
    print("more progress", file=sys.stderr)
    yield {{"name": "{name} first", "p50_ms": 1.0, "p95_ms": 2.0, "per_s": None, "scale_seen": scale}}
    yield {{"name": "{name} second", "p50_ms": None, "p95_ms": None, "per_s": 10.0}}
"""


def load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fakes(tmp_path: Path) -> Path:
    for name in ("alpha", "beta"):
        (tmp_path / f"{name}_bench.py").write_text(FAKE.format(name=name))
    (tmp_path / "broken_bench.py").write_text("def figures(scale):\n    raise SystemExit(3)\n    yield {}\n")
    (tmp_path / "helper.py").write_text("VALUE = 1\n")  # not a benchmark: no _bench suffix
    return tmp_path


def run_lines(capsys: pytest.CaptureFixture[str], directory: Path, *argv: str) -> list[dict]:
    load_run().main(["--dir", str(directory), *argv])
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_discovery_finds_every_benchmark_module_of_the_directory(fakes: Path) -> None:
    assert load_run().discover(fakes) == ["alpha_bench", "beta_bench", "broken_bench"]


def test_every_real_benchmark_module_offers_figures_of_a_scale() -> None:
    modules = load_run().discover(BENCH)
    assert {"metrics_bench", "warnings_bench", "risk_words_bench", "appeals_bench", "signin_bench"} <= set(
        modules
    )
    for module in modules:
        tree = ast.parse((BENCH / f"{module}.py").read_text())
        found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "figures"]
        assert found, f"{module} has no figures()"
        assert [a.arg for a in found[0].args.args] == ["scale"], module


def test_a_run_prints_the_machine_then_one_json_line_per_figure(
    fakes: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINGMIN_BENCH_SERVER", "postgres://postgres@127.0.0.1:9/postgres")
    lines = run_lines(capsys, fakes, "--scale", "small")
    machine, figures = lines[0], lines[1:]
    assert machine["cores"] >= 1 and machine["python"] and machine["date"]
    assert machine["postgresql"].startswith("unreachable")
    names = [f["name"] for f in figures]
    assert names == ["alpha first", "alpha second", "beta first", "beta second", "broken: failed"]
    assert figures[0]["p50_ms"] == 1.0 and figures[0]["p95_ms"] == 2.0 and figures[0]["per_s"] is None
    assert figures[0]["scale_seen"] == "small" and figures[0]["module"] == "alpha"
    assert figures[1]["per_s"] == 10.0
    assert figures[-1]["error"] == "exit status 3"


def test_only_a_module_name_runs_that_module_alone(
    fakes: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINGMIN_BENCH_SERVER", "postgres://postgres@127.0.0.1:9/postgres")
    lines = run_lines(capsys, fakes, "--only", "beta", "--scale", "city")
    assert [f["name"] for f in lines[1:]] == ["beta first", "beta second"]
    assert lines[1]["scale_seen"] == "city"


def test_only_a_figure_name_keeps_the_figures_so_named(
    fakes: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINGMIN_BENCH_SERVER", "postgres://postgres@127.0.0.1:9/postgres")
    lines = run_lines(capsys, fakes, "--only", "second")
    # A benchmark that fails is reported whatever the filter.
    assert [f["name"] for f in lines[1:]] == ["alpha second", "beta second", "broken: failed"]
    lines = run_lines(capsys, fakes, "--only", "alpha_bench", "--only", "first")
    assert [f["name"] for f in lines[1:]] == ["alpha first"]


def test_list_names_the_modules_a_filter_keeps(fakes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_run().main(["--dir", str(fakes), "--list", "--only", "alpha"])
    assert capsys.readouterr().out.split() == ["alpha_bench"]
