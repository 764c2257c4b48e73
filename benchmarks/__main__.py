"""`python -m benchmarks [--quick] [--json] [--only NAME ...]`: run the benchmarks and print
one table, every figure beside its baseline from the same run."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from benchmarks import cold_start, index_build, latency, runtime, search_scale, serve_load
from benchmarks.common import Session, machine
from benchmarks.report import Row, render, to_json, unavailable

BENCHMARKS: dict[str, Callable[[Session], list[Row]]] = {
    "latency": latency.run,
    "cold-start": cold_start.run,
    "index-build": index_build.run,
    "search-scale": search_scale.run,
    "serve": serve_load.run,  # memory and HTTP load share one `rolebot serve`
    "runtime": runtime.run,  # onnxruntime and torch side by side (issue 18)
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes (a smoke run, not the real figures)"
    )
    parser.add_argument(
        "--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a target fails (default: report only)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch folder (generated corpus, logs)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    # progress goes to stderr so `--json` output stays clean
    progress = Console(stderr=True)
    workdir = Path(tempfile.mkdtemp(prefix="rolebot-bench-"))
    session = Session(quick=args.quick, workdir=workdir, console=progress)
    meta = machine()
    rows: list[Row] = []
    started = time.perf_counter()
    try:
        for name in args.only or list(BENCHMARKS):
            progress.log(f"[bold]{name}[/] …")
            began = time.perf_counter()
            try:
                rows.extend(BENCHMARKS[name](session))
            except Exception as exc:  # one broken benchmark must not hide the others
                progress.print(traceback.format_exc())
                rows.append(unavailable(name, "(benchmark failed)", "", f"{exc!r}"[:200]))
            progress.log(f"{name}: {time.perf_counter() - began:.1f}s")
    finally:
        if args.keep:
            progress.log(f"scratch kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    meta["total_seconds"] = round(time.perf_counter() - started, 1)
    meta["quick"] = args.quick
    if args.json:
        print(to_json(rows, meta))
    else:
        console = Console(width=max(Console().width, 160))
        title = (
            f"rolebot benchmarks — {meta.get('cpu', '?')}, {meta['cpus']} cores, "
            f"load {meta['load_average_at_start']}, {meta['total_seconds']}s"
            + (" (quick)" if args.quick else "")
        )
        render(rows, console, title)
    failed = [r for r in rows if r.status == "FAIL"]
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
