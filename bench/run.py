"""Run every benchmark and print its figures, one JSON object a line.

    .venv/bin/python bench/run.py [--scale small|city] [--only NAME ...]

The first line describes the machine (cores, memory, load, PostgreSQL, Python, date); then each
figure as its benchmark yields it: `{"name": ..., "p50_ms": ..., "p95_ms": ..., "per_s": ...}`
and whatever else the figure carries (its size, runs, target), with the module it came from,
the scale and the load average when it was measured.

Every `bench/*_bench.py` exposes `figures(scale) -> Iterator[dict]`. Each module runs in a child
process of its own, because each points Django at its own database and Django is configured once
per process. The child's own output (progress, the benchmarks' tables) goes to standard error;
only figures reach standard output.

`--only` (repeatable) keeps a module when the value is its name (`metrics` or `metrics_bench`);
a value that names no module keeps the figures whose name contains it, from every module (which
then all run). `--list` prints the modules found and runs nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCALES = ("small", "city")
SUFFIX = "_bench"
SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def discover(directory: Path = HERE) -> list[str]:
    """The benchmark modules of `directory`, by name without `.py`, in a stable order."""
    return sorted(p.stem for p in directory.glob(f"*{SUFFIX}.py"))


def short(module: str) -> str:
    return module.removesuffix(SUFFIX)


def select(modules: list[str], only: list[str]) -> tuple[list[str], list[str]]:
    """The modules to run and the figure-name filters left over, from `--only` values."""
    if not only:
        return modules, []
    chosen = [m for m in modules if m in only or short(m) in only]
    names = [o for o in only if not any(o in (m, short(m)) for m in modules)]
    if names and not chosen:
        # A figure's name is known only once its benchmark runs: filtering by it runs them all.
        chosen = modules
    return chosen, names


def wanted(figure: dict[str, Any], names: list[str]) -> bool:
    """Whether a figure passes the name filters; a benchmark's failure always does."""
    return not names or "error" in figure or any(n in str(figure.get("name", "")) for n in names)


def machine() -> dict[str, Any]:
    """The machine the figures come from."""
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    postgres = None
    try:
        import psycopg

        with psycopg.connect(os.environ.get("JINGMIN_BENCH_SERVER", SERVER), connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            postgres = row[0] if row else None
    except Exception as exc:
        postgres = f"unreachable: {exc.__class__.__name__}"
    return {
        "machine": platform.node(),
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "load": [round(x, 2) for x in os.getloadavg()],
        "postgresql": postgres,
        "python": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def load_module(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    # Registered before it runs, as an import does: dataclasses and pickling (the process pools
    # of a load) look the module up by name.
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def child(path: Path, scale: str) -> None:
    """Run one module's figures in this process: figures on the original standard output, the
    rest (the module's prints, its subprocesses') on standard error."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    module = load_module(path)
    for figure in module.figures(scale):
        out.write(json.dumps(figure, ensure_ascii=False, default=str) + "\n")


def run_module(path: Path, scale: str) -> Iterator[dict[str, Any]]:
    """The figures of one module, run in a child process; a failure becomes a figure saying so."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), "--scale", scale]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")])),
    }
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as proc:  # noqa: S603
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip():
                yield json.loads(line)
        code = proc.wait()
    if code:
        yield {
            "name": f"{short(path.stem)}: failed",
            "error": f"exit status {code}",
            "p50_ms": None,
            "p95_ms": None,
            "per_s": None,
        }


def run(directory: Path, scale: str, only: list[str]) -> Iterator[dict[str, Any]]:
    modules, names = select(discover(directory), only)
    for module in modules:
        for figure in run_module(directory / f"{module}.py", scale):
            if wanted(figure, names):
                yield {
                    "name": figure.get("name"),
                    "p50_ms": figure.get("p50_ms"),
                    "p95_ms": figure.get("p95_ms"),
                    "per_s": figure.get("per_s"),
                    **figure,
                    "module": short(module),
                    "scale": scale,
                    "load": round(os.getloadavg()[0], 2),
                }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--list", action="store_true", help="list the benchmark modules and stop")
    parser.add_argument("--dir", type=Path, default=HERE, help=argparse.SUPPRESS)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.scale)
        return
    if args.list:
        for module in select(discover(args.dir), args.only)[0]:
            print(module)
        return
    print(json.dumps(machine(), ensure_ascii=False), flush=True)
    for figure in run(args.dir, args.scale, args.only):
        print(json.dumps(figure, ensure_ascii=False, default=str), flush=True)


if __name__ == "__main__":
    main()
