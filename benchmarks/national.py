"""Benchmark: every CSP with data in one pass, against one-CSP runs, on a near-national sample.

Usage::

    python benchmarks/national.py [--data DIR] [--sample N] [--work DIR] [--out FILE]

What it does:

1. Loads the near-national police.uk sample (``police_uk_national_2024``: 40 forces, January
   and February 2024, about 626,000 rows) into ``WORK/national.duckdb`` with
   ``cspkit ingest police-uk`` (timed; reused when it already exists).
2. Runs ``cspkit assess --all --period 2024-01..2024-02`` (HTML + JSON + CSV, an index) in a
   child process: wall time, the child's peak RSS (``os.wait4``), and the peak of the summed
   RSS of the child and its worker processes (sampled from ``/proc`` every 0.2 s).
3. In the same run, times ``cspkit assess --area CODE --period 2024-01..2024-02`` for
   ``--sample`` CSPs spread over the index (one child process each, as a user runs one CSP),
   and estimates the sum of one-at-a-time runs for every assessed CSP as the median one-CSP
   time times their number.
4. Writes a JSON report (default ``benchmarks/results/national.json``): the machine, every
   run, the ratio pack / one-at-a-time, and the targets (ratio at most 0.5, the pack under 10
   minutes, peak RSS under 4 GB).

Only public tools are used: ``time.perf_counter``, ``os.wait4`` and ``/proc``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "police_uk_national_2024"
DEFAULT_WORK = ROOT / "benchmarks" / "work" / "national"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "national.json"
PERIOD = "2024-01..2024-02"
DEFAULT_SAMPLE = 8
SAMPLE_SECONDS = 0.2
TARGET_RATIO = 0.5
TARGET_SECONDS = 600.0
TARGET_RSS_BYTES = 4 * 1024**3
PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _tree_rss(pid: int) -> int:
    """Summed resident bytes of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        stack.extend(_children(p))
    return total


def run(command: list[str]) -> dict[str, Any]:
    """Run a child; wall seconds, its own peak RSS and the peak RSS of its process tree."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(child.pid))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return {
        "seconds": round(seconds, 3),
        "peak_rss_bytes": usage.ru_maxrss * 1024,
        "peak_tree_rss_bytes": peak[0],
    }


def cspkit(*args: str) -> list[str]:
    return [sys.executable, "-m", "cspkit", *args]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    db = work / "national.duckdb"
    report: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "period": PERIOD,
    }
    if not db.exists():
        report["ingest"] = run(cspkit("ingest", "police-uk", str(args.data), "--db", str(db)))
    pack_out = work / "pack"
    pack = run(
        cspkit("assess", "--all", "--period", PERIOD, "--db", str(db), "--out", str(pack_out))
    )
    with (pack_out / "index.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assessed = [r for r in rows if r["status"] == "assessed"]
    step = max(1, len(assessed) // max(1, args.sample))
    sample = assessed[::step][: args.sample]
    singles = []
    for r in sample:
        one = run(
            cspkit(
                "assess",
                "--area",
                r["csp_code"],
                "--period",
                PERIOD,
                "--db",
                str(db),
                "--out",
                str(work / "single" / r["csp_code"]),
            )
        )
        singles.append({"csp": r["csp_name"], **one})
    median_one = statistics.median(s["seconds"] for s in singles)
    estimated_sum = median_one * len(assessed)
    ratio = pack["seconds"] / estimated_sum
    peak = max(pack["peak_tree_rss_bytes"], pack["peak_rss_bytes"])
    report.update(
        {
            "csps_in_index": len(rows),
            "csps_assessed": len(assessed),
            "pack": pack,
            "one_csp_runs": singles,
            "one_csp_median_seconds": round(median_one, 3),
            "one_at_a_time_estimated_seconds": round(estimated_sum, 1),
            "ratio_pack_to_one_at_a_time": round(ratio, 3),
            "targets": {
                "ratio_at_most": TARGET_RATIO,
                "ratio_met": ratio <= TARGET_RATIO,
                "pack_seconds_under": TARGET_SECONDS,
                "pack_seconds_met": pack["seconds"] < TARGET_SECONDS,
                "peak_rss_under_bytes": TARGET_RSS_BYTES,
                "peak_rss_met": peak < TARGET_RSS_BYTES,
            },
        }
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"CSPs assessed: {len(assessed)} of {len(rows)}")
    print(f"pack: {pack['seconds']:.1f} s, peak RSS {peak / 1024**2:,.0f} MB (all processes)")
    print(f"one CSP: median {median_one:.2f} s over {len(singles)} runs")
    print(f"one at a time (estimated): {estimated_sum:.1f} s; ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
