"""Benchmark: how long a Strategic Assessment takes, for one district and for a whole force.

Usage::

    python benchmarks/assess.py [--repeats N] [--out FILE] [--work DIR]

What it does:

1. Builds the demo warehouse once (the bundled real police.uk sample: Kent 2024-01..04 and
   2025, Lincolnshire 2017-02..2020-01) into ``WORK/cspkit.duckdb``.
2. Warms up (one untimed run of every variant: imports, fonts, templates, the file cache),
   then times each variant ``--repeats`` times and keeps every run and the median:

   * ``one_district_html_json``: ``run_assessment`` for Maidstone 2025 (compared with 2024),
     HTML, assessment.json and the CSV tables, exactly what ``cspkit assess`` runs;
   * ``one_district_html_json_lincoln``: the same for Lincoln, 12 months to January 2020
     (36 months of history, so more charts);
   * ``pdf`` and ``docx``: writing ``report.pdf`` (WeasyPrint) and ``report.docx``
     (python-docx) of the Maidstone document, each on its own;
   * ``one_district_all_formats``: ``run_assessment`` for Maidstone with PDF and DOCX too;
   * ``kent_13_html_json``: all 13 Kent districts (2025, HTML+JSON) one after another in one
     run.
3. Times each step of one assessment (the overview, every section builder, building the
   document, HTML and data writing) for Maidstone and Lincoln, so a missed target can be
   traced to the section that costs most.
4. Writes a JSON report (default ``benchmarks/results/assess.json``) with the machine, every
   run, the medians, the per-step breakdown, the targets and whether they were met, and
   prints a short table.

Only public tools are used: ``time.perf_counter`` for wall time and ``resource.getrusage``
for the peak resident set size of this process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REPEATS = 5
DEFAULT_WORK = ROOT / "benchmarks" / "work" / "assess"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "assess.json"

#: The district, period and comparison of the one-district runs (as in ``cspkit demo``).
ONE_DISTRICT = ("Maidstone", "2025", "2024")
SECOND_DISTRICT = ("Lincoln", "12m:2020-01", None)
FORCE_SLUG = "kent"
FORCE_PERIOD, FORCE_COMPARE = "2025", "2024"
EXPECTED_FORCE_DISTRICTS = 13

#: Targets from the issue: one district's HTML+JSON under 3 s warm; all 13 Kent districts
#: (HTML+JSON) under 20 s.
TARGET_ONE_DISTRICT_SECONDS = 3.0
TARGET_FORCE_SECONDS = 20.0

KB_PER_MB = 1000  # ru_maxrss is in kilobytes on Linux


def build_warehouse(work: Path) -> tuple[Path, float, int]:
    """The demo warehouse from the bundled sample: its path, build seconds and row count."""
    from cspkit.ingest.police_uk import load_police_uk
    from cspkit.reference import sample_police_uk_dir
    from cspkit.warehouse.connection import writing

    work.mkdir(parents=True, exist_ok=True)
    db = work / "cspkit.duckdb"
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    with writing(db) as con:
        load_police_uk(con, [sample_police_uk_dir()])
        row = con.execute("SELECT count(*) FROM crimes").fetchone()
    return db, time.perf_counter() - start, int(row[0]) if row else 0


def timed(fn: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def variants(db: Path, work: Path, failures: dict[str, str]) -> dict[str, Callable[[], object]]:
    """Every timed variant, as a call that writes into ``work``.

    A district of the force run that fails is recorded in ``failures`` (name -> error) and
    the run goes on, so one broken district does not hide the timing of the others.
    """
    from cspkit.assessment.build import assess, build_document
    from cspkit.assessment.run import run_assessment
    from cspkit.report.docx import write_docx
    from cspkit.report.pdf import write_pdf
    from cspkit.stats.periods import parse_period
    from cspkit.warehouse.connection import connect_readonly
    from cspkit.warehouse.series import force_districts

    area, period, compare = ONE_DISTRICT
    con = connect_readonly(db)
    try:
        districts = [d.name for d in force_districts(con, FORCE_SLUG)]
        document = build_document(
            assess(con, area, parse_period(period), compare=parse_period(compare))
        )
    finally:
        con.close()
    if len(districts) != EXPECTED_FORCE_DISTRICTS:
        raise SystemExit(f"expected {EXPECTED_FORCE_DISTRICTS} Kent districts, found {districts}")
    second_area, second_period, second_compare = SECOND_DISTRICT

    def force_run() -> None:
        for name in districts:
            try:
                run_assessment(
                    db, name, FORCE_PERIOD, compare=FORCE_COMPARE, out=_fresh(work / "kent" / name)
                )
            except Exception as error:  # recorded in the report, never hidden
                failures[name] = f"{type(error).__name__}: {error}"

    return {
        "one_district_html_json": lambda: run_assessment(
            db, area, period, compare=compare, out=_fresh(work / "one")
        ),
        "one_district_html_json_lincoln": lambda: run_assessment(
            db, second_area, second_period, compare=second_compare, out=_fresh(work / "lincoln")
        ),
        "pdf": lambda: write_pdf(document, _fresh(work / "pdf")),
        "docx": lambda: write_docx(document, _fresh(work / "docx")),
        "one_district_all_formats": lambda: run_assessment(
            db, area, period, compare=compare, out=_fresh(work / "all"), formats=("pdf", "docx")
        ),
        "kent_13_html_json": force_run,
    }


def step_times(
    db: Path, out: Path, area: str, period: str, compare: str | None
) -> dict[str, float]:
    """Seconds of each step of one assessment: overview, each section, document, outputs.

    Repeats what ``cspkit.assessment.run.run_assessment`` does (``assess``, then the
    document, HTML and data), step by step with the same builders in the same order; the
    steps add up to one whole assessment (``total``).
    """
    from datetime import datetime

    from cspkit import __version__
    from cspkit.assessment import build
    from cspkit.assessment.context import SectionContext
    from cspkit.assessment.export import write_data
    from cspkit.assessment.overview import build_overview
    from cspkit.report.html import write_html
    from cspkit.stats.periods import parse_period
    from cspkit.warehouse.connection import connect_readonly
    from cspkit.warehouse.coverage import coverage

    steps: dict[str, float] = {}
    start = time.perf_counter()
    con = connect_readonly(db)
    try:
        parsed = parse_period(period)
        parsed_compare = parse_period(compare) if compare else None
        t = time.perf_counter()
        o = build_overview(con, area, parsed, compare=parsed_compare)
        steps["overview"] = time.perf_counter() - t
        ctx = SectionContext(o.area, parsed, o.comparison, o.peers, False)
        sections = []
        for builder in build._section_builders():
            t = time.perf_counter()
            section = builder(con, ctx)
            name = builder.__module__.rsplit(".", 1)[-1]
            steps[f"section:{name}"] = time.perf_counter() - t
            if section is not None:
                sections.append(section)
        t = time.perf_counter()
        force = o.area.force_slug or ""
        a = build.Assessment(
            overview=o,
            coverage=coverage(con).for_force(force),
            sources=build._sources(con, force),
            sections=tuple(sections),
            public=False,
            generated_at=datetime.now().replace(microsecond=0),
            version=__version__,
        )
        steps["coverage and sources"] = time.perf_counter() - t
    finally:
        con.close()
    t = time.perf_counter()
    doc = build.build_document(a)
    steps["build_document"] = time.perf_counter() - t
    t = time.perf_counter()
    write_html(doc, _fresh(out))
    steps["write_html"] = time.perf_counter() - t
    t = time.perf_counter()
    write_data(a, doc, out)
    steps["write_data (json + csv)"] = time.perf_counter() - t
    steps["total"] = time.perf_counter() - start
    return steps


def force_steps(db: Path, out: Path) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Step times of every Kent district (one round), and each step summed over them."""
    from cspkit.warehouse.connection import connect_readonly
    from cspkit.warehouse.series import force_districts

    con = connect_readonly(db)
    try:
        districts = [d.name for d in force_districts(con, FORCE_SLUG)]
    finally:
        con.close()
    per: dict[str, dict[str, float]] = {}
    for name in districts:
        try:
            per[name] = step_times(db, out / name, name, FORCE_PERIOD, FORCE_COMPARE)
        except Exception:  # a failing district is reported under failures by the force run
            continue
    totals: dict[str, float] = {}
    for steps in per.values():
        for step, seconds in steps.items():
            totals[step] = totals.get(step, 0.0) + seconds
    rounded = {n: {k: round(v, 3) for k, v in st.items()} for n, st in per.items()}
    return rounded, {k: round(v, 3) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}


def machine() -> dict[str, Any]:
    """The machine and the versions of the libraries that do the work."""
    import duckdb
    import matplotlib
    import weasyprint

    import cspkit

    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "duckdb": duckdb.__version__,
        "matplotlib": matplotlib.__version__,
        "weasyprint": weasyprint.__version__,
        "cspkit": cspkit.__version__,
    }


def _target(value: float, limit: float) -> dict[str, Any]:
    return {"value": round(value, 3), "target": f"< {limit} s", "met": value < limit}


def run_benchmark(repeats: int, work: Path) -> dict[str, Any]:
    """Build the warehouse, warm up, time every variant and every step; the report."""
    db, build_seconds, rows = build_warehouse(work)
    failures: dict[str, str] = {}
    calls = variants(db, work / "out", failures)
    for call in calls.values():  # warm-up, not timed
        call()
    runs: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):  # interleaved, so a noisy neighbour slows every variant alike
        for name, call in calls.items():
            runs[name].append(timed(call))
    medians = {name: statistics.median(values) for name, values in runs.items()}
    steps = {
        f"{area} {period}": [
            step_times(db, work / "out" / "steps", area, period, compare) for _ in range(repeats)
        ]
        for area, period, compare in (ONE_DISTRICT, SECOND_DISTRICT)
    }
    step_medians = {
        key: {s: round(statistics.median(r[s] for r in rounds), 4) for s in rounds[0]}
        for key, rounds in steps.items()
    }
    kent_steps, kent_totals = force_steps(db, work / "out" / "kent-steps")
    one = max(medians["one_district_html_json"], medians["one_district_html_json_lincoln"])
    force = _target(medians["kent_13_html_json"], TARGET_FORCE_SECONDS)
    if failures:
        force["met"] = False
        force["note"] = (
            f"{len(failures)} of {EXPECTED_FORCE_DISTRICTS} districts failed (see failures), "
            "so the force run is incomplete and the target is not met"
        )
    targets = {
        "one_district_html_json_seconds": _target(one, TARGET_ONE_DISTRICT_SECONDS),
        "kent_13_html_json_seconds": force,
    }
    return {
        "machine": machine(),
        "warehouse": {
            "source": "bundled police.uk sample",
            "crimes_rows": rows,
            "build_seconds": round(build_seconds, 3),
        },
        "method": (
            f"In one process: one untimed warm-up run of every variant, then {repeats} "
            "interleaved rounds; wall time by time.perf_counter; the one-district target is "
            "judged on the slower of Maidstone 2025 and Lincoln 12m:2020-01."
        ),
        "repeats": repeats,
        "runs": {name: [round(v, 4) for v in values] for name, values in runs.items()},
        "median_seconds": {name: round(v, 4) for name, v in medians.items()},
        "per_district_seconds_in_force_run": round(
            medians["kent_13_html_json"] / EXPECTED_FORCE_DISTRICTS, 4
        ),
        "steps_median_seconds": step_medians,
        "kent_steps_seconds": kent_steps,
        "kent_steps_summed_seconds": kent_totals,
        "failures": failures,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KB_PER_MB, 1),
        "targets": targets,
        "all_targets_met": all(t["met"] for t in targets.values()),
    }


def print_table(report: dict[str, Any]) -> None:
    """A short summary on stdout."""
    print(f"{'variant':34} {'median s':>9}")
    for name, value in report["median_seconds"].items():
        print(f"{name:34} {value:9.3f}")
    for key, steps in report["steps_median_seconds"].items():
        print(f"\nsteps, {key}:")
        for name, value in steps.items():
            print(f"  {name:46} {value:8.3f}")
    print("\nsteps summed over the Kent districts (one round):")
    for name, value in report["kent_steps_summed_seconds"].items():
        print(f"  {name:46} {value:8.3f}")
    print()
    for name, t in report["targets"].items():
        print(f"{name:34} {t['value']:9.3f} {t['target']:>8}  {'met' if t['met'] else 'MISSED'}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help="timed rounds")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON report file")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="scratch folder")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.repeats < 1:
        raise SystemExit("--repeats must be at least 1")
    report = run_benchmark(args.repeats, args.work)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
