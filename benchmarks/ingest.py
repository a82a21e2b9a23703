"""Benchmark: police.uk ingest at national scale against a DuckDB floor and a pandas baseline.

Usage::

    python benchmarks/ingest.py [--rows N] [--repeats K] [--out FILE] [--work DIR]
                                [--baseline REV]

What it does:

1. Builds a national-scale input (default about 6,000,000 rows, roughly one year of England
   and Wales) by replicating the real Kent 2025 street files of the bundled police.uk sample
   under the ids of the other police.uk forces in turn (``2025-MM-avon-and-somerset-street.csv``,
   plain CSV, with 'Reported by' and 'Falls within' rewritten to that force's name, since a
   file's rows must name its own force). The input is reused when it
   was already built with the same parameters.
2. Times three variants side by side, interleaved (A B C, A B C, ...) for ``--repeats``
   rounds, each as a separate process measured from outside: wall seconds, and the peak
   resident set size of the child as reported by ``os.wait4``:

   * ``ingest``: ``cspkit ingest police-uk INPUT --db FRESH_FILE``, the command a user runs;
   * ``floor``: bare DuckDB ``read_csv`` of the same files, with explicit column types,
     into a table of a fresh DuckDB file;
   * ``pandas``: ``pandas.read_csv`` of every file, ``concat``, and
     ``groupby(district, month, category).size()`` with the district taken from the LSOA
     name prefix ("Maidstone 012A" -> "Maidstone");
   * ``baseline`` (with ``--baseline REV``): the same ``cspkit ingest police-uk`` command of
     an earlier revision of cspkit (its ``src/`` taken with ``git archive``), so that a change
     is measured against what it replaces in the same run.
3. Times the query that builds every district's overview for one period (2025) on the
   warehouse the last ingest produced, all districts in one pass: the registered indicators'
   values for every district (one GROUP BY over the crimes table for the period and one for
   the comparison period), the peer groups of every district (one query), then rates per
   1,000, the count-change tests and the ranks within each peer group.
4. Writes a JSON report (default ``benchmarks/results/ingest.json``) with the machine, the
   input, every run, medians, rows per second, peak RSS, the ratios and the targets, and
   prints a short table.

Only public tools are used: ``time.perf_counter`` for wall time and ``os.wait4`` (the
``getrusage`` figures of one child) for peak memory.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cspkit.ingest.files import COLUMNS, STREET  # standard library imports only
from cspkit.ingest.forces import FORCES

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROWS = 6_000_000
DEFAULT_REPEATS = 3
DEFAULT_WORK = ROOT / "benchmarks" / "work"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "ingest.json"

#: The sample year replicated to build the input, and the period of the overview query.
SAMPLE_YEAR = 2025
SOURCE_FORCE_SLUG = "kent"
#: Bumped whenever the way the input is built changes, so a stale input is rebuilt.
INPUT_FORMAT_VERSION = 2
MANIFEST_NAME = "manifest.json"

#: Targets from the issue: ingest within 1.5x of the floor, at least 2x faster than pandas,
#: peak RSS under 4 GB, and the all-districts overview under 2 seconds.
TARGET_INGEST_OVER_FLOOR = 1.5
TARGET_PANDAS_OVER_INGEST = 2.0
TARGET_PEAK_RSS_MB = 4000.0
TARGET_OVERVIEW_SECONDS = 2.0

BYTES_PER_MB = 1_000_000
#: ``ru_maxrss`` is in KiB on Linux and in bytes on macOS.
MAXRSS_UNIT_BYTES = 1 if sys.platform == "darwin" else 1024

STREET_COLUMNS = COLUMNS[STREET]
#: The district whose single overview (build_overview) is timed for comparison.
SINGLE_DISTRICT = "Maidstone"
#: Explicit column types for the DuckDB floor: coordinates are numbers, the rest text.
FLOOR_TYPES = {
    c: ("DOUBLE" if c in ("Longitude", "Latitude") else "VARCHAR") for c in STREET_COLUMNS
}
#: "Maidstone 012A": the district name is the LSOA name without its last five characters.
LSOA_SUFFIX_LENGTH = 5

VARIANTS = ("ingest", "floor", "pandas")
VARIANT_DESCRIPTIONS = {
    "ingest": "cspkit ingest police-uk INPUT --db FRESH_FILE",
    "floor": "DuckDB read_csv with explicit column types into a table of a fresh DuckDB file",
    "pandas": "pandas read_csv of every file + concat + groupby(district, month, category).size()",
}
OVERVIEW_METHOD = (
    "Every district's overview for 2025 in one pass: indicator_values for all districts for "
    "2025 and its comparison period 2024 (one GROUP BY each over crimes), the peer groups of "
    "all districts (district_force, one query), denominators (one query per denominator "
    "basis), then rate per 1,000, compare_counts and rank_areas within each peer group for "
    "every registered police.uk indicator."
)


# --------------------------------------------------------------------------------------------
# Building the input
# --------------------------------------------------------------------------------------------


def _sample_files() -> list[Path]:
    """The Kent street files of the sample year, one per month, oldest first."""
    from cspkit.reference import sample_police_uk_dir

    sample = sample_police_uk_dir()
    pattern = f"{SAMPLE_YEAR}-*/{SAMPLE_YEAR}-*-{SOURCE_FORCE_SLUG}-street.csv.gz"
    files = sorted(sample.glob(pattern))
    if not files:
        raise SystemExit(f"no {SOURCE_FORCE_SLUG} {SAMPLE_YEAR} street files in {sample}")
    return files


def _month_of(path: Path) -> str:
    """'2025-01' from '2025-01-kent-street.csv.gz'."""
    return path.name[:7]


@dataclass(frozen=True)
class MonthTemplate:
    """One sample month as CSV text with a placeholder where the force name goes."""

    month: str
    text: str
    rows: int


FORCE_PLACEHOLDER = "\x00FORCE\x00"


def _template(path: Path) -> MonthTemplate:
    """Read a sample file and put a placeholder in 'Reported by' and 'Falls within'."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        if tuple(header) != STREET_COLUMNS:
            raise SystemExit(f"unexpected header in {path.name}: {header}")
        reported = header.index("Reported by")
        falls = header.index("Falls within")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        rows = 0
        for row in reader:
            row[reported] = FORCE_PLACEHOLDER
            row[falls] = FORCE_PLACEHOLDER
            writer.writerow(row)
            rows += 1
    return MonthTemplate(_month_of(path), out.getvalue(), rows)


def _manifest(target_rows: int, sources: list[Path]) -> dict[str, Any]:
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return {
        "format_version": INPUT_FORMAT_VERSION,
        "target_rows": target_rows,
        "sources_sha256": digest.hexdigest(),
    }


def build_input(work: Path, target_rows: int) -> dict[str, Any]:
    """Write (or reuse) the replicated input under ``work/input``; return its description.

    Whole forces (twelve months each: the sample's rows under each police.uk force in turn)
    are added until at least ``target_rows`` rows are written, so that every force covers the
    year; a target smaller than one year of the sample takes the first months of one force
    only (the quick mode of the tests).
    """
    sources = _sample_files()
    input_dir = work / "input"
    manifest_path = input_dir / MANIFEST_NAME
    wanted = _manifest(target_rows, sources)
    if manifest_path.exists():
        found = json.loads(manifest_path.read_text())
        if {k: found.get(k) for k in wanted} == wanted and all(
            (input_dir / name).exists() for name in found["files"]
        ):
            return {**found, "reused": True}
    if input_dir.exists():
        shutil.rmtree(input_dir)
    input_dir.mkdir(parents=True)
    templates = [_template(p) for p in sources]
    whole_years = target_rows >= sum(t.rows for t in templates)
    names: list[str] = []
    rows = 0
    force = 0
    while rows < target_rows:
        force += 1
        if force > len(FORCES):
            raise SystemExit(f"--rows needs more than the {len(FORCES)} police.uk forces")
        name, slug = FORCES[force - 1].name, FORCES[force - 1].id
        for month in templates:
            if rows >= target_rows and not whole_years:
                break
            file_name = f"{month.month}-{slug}-street.csv"
            (input_dir / file_name).write_text(
                month.text.replace(FORCE_PLACEHOLDER, name), encoding="utf-8"
            )
            names.append(file_name)
            rows += month.rows
    description = {
        **wanted,
        "rows": rows,
        "files": names,
        "forces": force,
        "bytes": sum((input_dir / n).stat().st_size for n in names),
        "source": (
            f"the real {SOURCE_FORCE_SLUG} {SAMPLE_YEAR} street files of the cspkit police.uk "
            "sample, replicated under the ids and names of other police.uk forces"
        ),
    }
    manifest_path.write_text(json.dumps(description, indent=1))
    return {**description, "reused": False}


def _warm_page_cache(input_dir: Path, files: Sequence[str]) -> None:
    """Read every input file once so that no variant pays for the first read from disk."""
    for name in files:
        with open(input_dir / name, "rb") as handle:
            while handle.read(1 << 24):
                pass


# --------------------------------------------------------------------------------------------
# Child processes (each variant runs in its own process, started by this script)
# --------------------------------------------------------------------------------------------


def child_floor(input_dir: Path, db: Path) -> None:
    """The floor: DuckDB's CSV reader with explicit types into a table of a fresh file."""
    import duckdb

    files = sorted(str(p) for p in input_dir.glob("*-street.csv"))
    columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in FLOOR_TYPES.items()) + "}"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE street AS SELECT * FROM read_csv(?, header = true, "
        f"auto_detect = false, columns = {columns})",
        [files],
    )
    row = con.execute("SELECT count(*) FROM street").fetchone()
    con.close()
    print(json.dumps({"rows": int(row[0]) if row else 0}))


def child_pandas(input_dir: Path) -> None:
    """The plain pandas baseline: read every file, concatenate, count per group."""
    import pandas as pd

    files = sorted(input_dir.glob("*-street.csv"))
    frame = pd.concat([pd.read_csv(p) for p in files], ignore_index=True)
    frame["district"] = frame["LSOA name"].str.slice(stop=-LSOA_SUFFIX_LENGTH)
    counts = frame.groupby(["district", "Month", "Crime type"]).size()
    print(json.dumps({"rows": len(frame), "groups": len(counts)}))


def child_library_ingest(input_dir: Path, db: Path) -> None:
    """Fallback for the ingest variant while the CLI command is not available."""
    from cspkit.ingest.police_uk import load_police_uk
    from cspkit.warehouse.connection import writing

    with writing(db) as con:
        report = load_police_uk(con, [input_dir])
    print(json.dumps({"rows": report.rows_loaded + report.rows_quarantined}))


def child_overview(db: Path, repeats: int) -> None:
    """Time the all-districts overview query ``repeats`` times on one read-only connection."""
    from cspkit.assessment.overview import build_overview
    from cspkit.errors import CspkitError
    from cspkit.stats.change import compare_counts
    from cspkit.stats.periods import calendar_year, comparison_period
    from cspkit.stats.rank import rank_areas
    from cspkit.stats.rates import DenominatorBasis, rate_per_1000
    from cspkit.warehouse.connection import connect_readonly
    from cspkit.warehouse.series import district_population, indicator_registry, indicator_values

    period = calendar_year(SAMPLE_YEAR)
    previous_period = comparison_period(period)
    con = connect_readonly(db)

    def all_districts() -> int:
        registry = [i for i in indicator_registry(con) if i.from_police_uk and i.unit == "count"]
        current = indicator_values(con, registry, period)
        previous = indicator_values(con, registry, previous_period)
        peers: dict[str, list[str]] = {}
        for lad, slug in con.execute("SELECT lad_code, force_slug FROM district_force").fetchall():
            peers.setdefault(str(slug), []).append(str(lad))
        areas = sorted(a for group in peers.values() for a in group)
        populations = {
            basis: district_population(con, areas, basis, period.last.year)
            for basis in {i.denominator_basis for i in registry}
        }
        produced = 0
        for ind in registry:
            values = current.get(ind.id, {})
            before = previous.get(ind.id, {})
            basis = DenominatorBasis(ind.denominator_basis)
            pops = populations[ind.denominator_basis]
            for group in peers.values():
                rates: dict[str, float | None] = {}
                for area in group:
                    count = round(values.get(area, 0.0))
                    denominator, year, _source = pops.get(area, (None, None, None))
                    rates[area] = rate_per_1000(count, denominator, basis=basis, year=year).value
                    if area in before:
                        compare_counts(count, round(before[area]))
                rank_areas(rates, polarity=ind.polarity)
                produced += len(group)
        return produced

    seconds: list[float] = []
    rows = 0
    for _ in range(repeats):
        start = time.perf_counter()
        rows = all_districts()
        seconds.append(time.perf_counter() - start)
    districts = con.execute("SELECT count(*) FROM district_force").fetchone()
    single: dict[str, Any] = {"area": SINGLE_DISTRICT, "build_overview_seconds": None}
    start = time.perf_counter()
    try:
        build_overview(con, SINGLE_DISTRICT, period)
        single["build_overview_seconds"] = time.perf_counter() - start
    except CspkitError as exc:  # e.g. the quick mode's input covers only part of the year
        single["not_timed"] = str(exc)
    con.close()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "districts": int(districts[0]) if districts else 0,
                "indicator_rows": rows,
                "single_district": single,
            }
        )
    )


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One measured child process."""

    wall_seconds: float
    peak_rss_mb: float
    output: str


def measure(command: Sequence[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` as a child process; its wall time and its own peak RSS (wait4)."""
    with open(log, "w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(command), stdout=subprocess.PIPE, stderr=err, text=True, env=env
        )
        assert proc.stdout is not None
        output = proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read()[-2000:]
            raise SystemExit(
                f"{' '.join(command)} failed with exit code {proc.returncode}:\n{tail}"
            )
    return Run(wall, usage.ru_maxrss * MAXRSS_UNIT_BYTES / BYTES_PER_MB, output)


def _cspkit_command() -> list[str] | None:
    """The installed ``cspkit`` console script, if its ``ingest police-uk`` command exists."""
    beside = Path(sys.executable).with_name("cspkit")
    script = str(beside) if beside.exists() else shutil.which("cspkit")
    if script is None:
        return None
    probe = subprocess.run(
        [script, "ingest", "police-uk", "--help"], capture_output=True, text=True, check=False
    )
    return [script] if probe.returncode == 0 else None


def baseline_source(revision: str, work: Path) -> tuple[str, Path]:
    """Extract ``src/`` of cspkit at ``revision`` (git archive) under ``work``; return the
    revision's short commit id and the folder to put on PYTHONPATH."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", f"{revision}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if commit.returncode != 0:
        raise SystemExit(f"--baseline {revision}: not a revision of this repository")
    short = commit.stdout.strip()
    target = work / "baseline" / short
    if not (target / "src" / "cspkit" / "cli.py").exists():
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", short, "src"],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return short, target / "src"


def _remove_db(db: Path) -> None:
    for path in (db, db.with_name(db.name + ".wal"), db.with_name(db.name + ".lock")):
        path.unlink(missing_ok=True)


def child_count(db: Path) -> None:
    """Rows the ingest accounted for: loaded into crimes plus quarantined."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT (SELECT count(*) FROM crimes) + (SELECT count(*) FROM quarantine)"
        ).fetchone()
    finally:
        con.close()
    print(json.dumps({"rows": int(row[0]) if row else 0}))


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def child_info() -> None:
    """The machine and the versions of the libraries timed."""
    import duckdb
    import pandas as pd

    import cspkit

    memory = None
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    info = {
        "cpu_count": os.cpu_count(),
        "memory_gib": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "cspkit": cspkit.__version__,
    }
    print(json.dumps(info))


def run_benchmark(
    rows: int, repeats: int, work: Path, baseline: str | None = None
) -> dict[str, Any]:
    """Build the input, time every variant interleaved, time the overview; the report."""
    work.mkdir(parents=True, exist_ok=True)
    dbs = work / "db"
    logs = work / "logs"
    dbs.mkdir(exist_ok=True)
    logs.mkdir(exist_ok=True)
    me = [sys.executable, str(Path(__file__).resolve())]
    # The parent imports nothing heavy: a child's peak RSS starts from the size of the
    # process that started it, so building the input and reading versions happen in children.
    built = measure(
        [*me, "--child", "build", "--rows", str(rows), "--work", str(work)], logs / "build.log"
    )
    described = json.loads(built.output)
    how = "reused" if described["reused"] else f"built in {built.wall_seconds:.1f} s"
    print(
        f"input: {described['rows']:,} rows in {len(described['files'])} files "
        f"({how}) in {work / 'input'}",
        flush=True,
    )
    machine = json.loads(measure([*me, "--child", "info"], logs / "info.log").output)
    input_dir = work / "input"
    files = list(described["files"])
    _warm_page_cache(input_dir, files)
    cli = _cspkit_command()
    ingest_db = dbs / "ingest.duckdb"
    floor_db = dbs / "floor.duckdb"
    if cli is not None:
        ingest_cmd = [*cli, "ingest", "police-uk", str(input_dir), "--db", str(ingest_db)]
        ingest_how = "cspkit ingest police-uk (the command line)"
    else:
        ingest_cmd = [*me, "--child", "library-ingest", "--input", str(input_dir)]
        ingest_cmd += ["--db", str(ingest_db)]
        ingest_how = (
            "load_police_uk inside writing() in a child process (the cspkit ingest command "
            "was not available)"
        )
    commands = {
        "ingest": ingest_cmd,
        "floor": [*me, "--child", "floor", "--input", str(input_dir), "--db", str(floor_db)],
        "pandas": [*me, "--child", "pandas", "--input", str(input_dir)],
    }
    envs: dict[str, dict[str, str] | None] = {}
    descriptions = {**VARIANT_DESCRIPTIONS, "ingest": ingest_how}
    variants: tuple[str, ...] = VARIANTS
    if baseline is not None:
        short, src = baseline_source(baseline, work)
        commands["baseline"] = [sys.executable, "-m", "cspkit", "ingest", "police-uk"]
        commands["baseline"] += [str(input_dir), "--db", str(ingest_db)]
        envs["baseline"] = {**os.environ, "PYTHONPATH": str(src)}
        descriptions["baseline"] = f"cspkit ingest police-uk of revision {short} ({baseline})"
        variants = (*VARIANTS, "baseline")
    runs: dict[str, list[Run]] = {v: [] for v in variants}
    for round_number in range(1, repeats + 1):
        for variant in variants:
            _remove_db(ingest_db)
            _remove_db(floor_db)
            log = logs / f"{variant}-{round_number}.log"
            print(f"round {round_number}/{repeats}: {variant} ...", end=" ", flush=True)
            run = measure(commands[variant], log, envs.get(variant))
            _check_rows(
                variant,
                run,
                [*me, "--child", "count", "--db", str(ingest_db)],
                logs,
                described["rows"],
            )
            runs[variant].append(run)
            print(f"{run.wall_seconds:.2f} s, {run.peak_rss_mb:,.0f} MB", flush=True)
    _remove_db(floor_db)
    # The overview query runs on a warehouse this revision's ingest made.
    if variants[-1] != "ingest":
        _remove_db(ingest_db)
        measure(commands["ingest"], logs / "ingest-for-overview.log")
    print("overview query ...", end=" ", flush=True)
    overview_run = measure(
        [*me, "--child", "overview", "--db", str(ingest_db), "--repeats", str(repeats)],
        logs / "overview.log",
    )
    overview = json.loads(overview_run.output)
    print(f"{_median(overview['seconds']):.3f} s", flush=True)
    return _report(machine, described, repeats, descriptions, runs, overview)


def _check_rows(
    variant: str, run: Run, count_command: list[str], logs: Path, expected: int
) -> None:
    """Every variant must have read every row; the ingest must have accounted for each."""
    counted = variant in ("ingest", "baseline")
    output = measure(count_command, logs / "count.log").output if counted else run.output
    got = json.loads(output)["rows"]
    if got != expected:
        raise SystemExit(f"{variant} handled {got:,} rows, expected {expected:,}")


def _report(
    machine: dict[str, Any],
    described: dict[str, Any],
    repeats: int,
    descriptions: dict[str, str],
    runs: dict[str, list[Run]],
    overview: dict[str, Any],
) -> dict[str, Any]:
    rows = int(described["rows"])
    variants: dict[str, Any] = {}
    for variant in runs:
        walls = [r.wall_seconds for r in runs[variant]]
        rss = [r.peak_rss_mb for r in runs[variant]]
        median = _median(walls)
        variants[variant] = {
            "description": descriptions[variant],
            "wall_seconds": [round(w, 3) for w in walls],
            "median_seconds": round(median, 3),
            "rows_per_second": round(rows / median),
            "peak_rss_mb": [round(m, 1) for m in rss],
            "peak_rss_mb_max": round(max(rss), 1),
        }
    ingest = variants["ingest"]["median_seconds"]
    ingest_over_floor = ingest / variants["floor"]["median_seconds"]
    pandas_over_ingest = variants["pandas"]["median_seconds"] / ingest
    ratios = {
        "ingest_over_floor": round(ingest_over_floor, 3),
        "pandas_over_ingest": round(pandas_over_ingest, 3),
    }
    if "baseline" in variants:
        ratios["baseline_over_ingest"] = round(variants["baseline"]["median_seconds"] / ingest, 3)
    overview_median = _median(overview["seconds"])
    targets = {
        "ingest_over_floor": _target(ingest_over_floor, TARGET_INGEST_OVER_FLOOR, "<="),
        "pandas_over_ingest": _target(pandas_over_ingest, TARGET_PANDAS_OVER_INGEST, ">="),
        "ingest_peak_rss_mb": _target(
            variants["ingest"]["peak_rss_mb_max"], TARGET_PEAK_RSS_MB, "<"
        ),
        "overview_seconds": _target(overview_median, TARGET_OVERVIEW_SECONDS, "<"),
    }
    return {
        "benchmark": "police.uk street ingest",
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": machine,
        "input": {
            "rows": rows,
            "files": len(described["files"]),
            "forces": described["forces"],
            "bytes": described["bytes"],
            "source": described["source"],
        },
        "repeats": repeats,
        "order": "interleaved: " + " ".join(runs) + ", repeated",
        "variants": variants,
        "ratios": ratios,
        "overview": {
            "method": OVERVIEW_METHOD,
            "period": str(SAMPLE_YEAR),
            "districts": overview["districts"],
            "indicator_rows": overview["indicator_rows"],
            "seconds": [round(s, 4) for s in overview["seconds"]],
            "median_seconds": round(overview_median, 4),
            "single_district": overview["single_district"],
        },
        "targets": targets,
        "all_targets_met": all(t["met"] for t in targets.values()),
    }


def _target(value: float, limit: float, relation: str) -> dict[str, Any]:
    met = {"<=": value <= limit, ">=": value >= limit, "<": value < limit}[relation]
    return {"value": round(value, 3), "target": f"{relation} {limit:g}", "met": met}


def print_table(report: dict[str, Any]) -> None:
    """A short human-readable summary of the report."""
    print()
    print(f"{report['input']['rows']:,} rows in {report['input']['files']} files")
    print(f"{'variant':<9} {'median s':>9} {'rows/s':>11} {'peak MB':>9}  runs (s)")
    for name, v in report["variants"].items():
        runs = ", ".join(f"{w:.2f}" for w in v["wall_seconds"])
        print(
            f"{name:<9} {v['median_seconds']:>9.2f} {v['rows_per_second']:>11,} "
            f"{v['peak_rss_mb_max']:>9,.0f}  {runs}"
        )
    if "baseline_over_ingest" in report["ratios"]:
        print(f"baseline / ingest: {report['ratios']['baseline_over_ingest']:.2f}")
    ov = report["overview"]
    print(f"overview, {ov['districts']} districts: median {ov['median_seconds']:.3f} s")
    for name, t in report["targets"].items():
        verdict = "met" if t["met"] else "MISSED"
        print(f"  {name:<20} {t['value']:>10} (target {t['target']}): {verdict}")


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="examples: python benchmarks/ingest.py --rows 500000 --repeats 1\n"
        "          python benchmarks/ingest.py --baseline HEAD~1",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="rows to build (about)")
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help="rounds to time")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON report to write")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="folder for the input")
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also time the ingest of this git revision of cspkit (e.g. HEAD~3, a tag)",
    )
    parser.add_argument(
        "--child",
        choices=("build", "info", "count", "floor", "pandas", "library-ingest", "overview"),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeats < 1:
        parser.error("--rows and --repeats must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child == "build":
        print(json.dumps(build_input(args.work.resolve(), args.rows)))
    elif args.child == "info":
        child_info()
    elif args.child == "count":
        child_count(args.db)
    elif args.child == "floor":
        child_floor(args.input, args.db)
    elif args.child == "pandas":
        child_pandas(args.input)
    elif args.child == "library-ingest":
        child_library_ingest(args.input, args.db)
    elif args.child == "overview":
        child_overview(args.db, args.repeats)
    else:
        report = run_benchmark(args.rows, args.repeats, args.work.resolve(), args.baseline)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print_table(report)
        print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
