"""Refreshing the warehouse from data.police.uk: monthly archives, and the API's dates.

data.police.uk publishes one zip archive per month (``/data/archive/YYYY-MM.zip``) holding
every force's street, outcomes and stop-and-search files for the 36 months up to that month.
A fetch works out which archives cover the wanted months, downloads each (resumably, see
:mod:`cspkit.fetch.http`), takes only the wanted forces' and months' files out of it, and loads
them through the same checked load as ``cspkit ingest police-uk``, in one transaction: a failed
or interrupted fetch leaves the warehouse as it was, and the next fetch continues the download.

``latest`` asks the API which month is the latest (``/api/crime-last-updated``) and which
months are published (``/api/crimes-street-dates``), and fetches for each force only the
months newer than the newest it holds (or just the latest month for a force it has none of).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from cspkit.fetch.http import Fetcher, FetchError, Progress, UrllibClient
from cspkit.ingest.files import FILE_NAME_PATTERN
from cspkit.ingest.police_uk import LoadReport, load_police_uk
from cspkit.stats.periods import add_months, format_month

DEFAULT_BASE_URL = "https://data.police.uk"
ARCHIVE_PATH = "/data/archive/{month}.zip"
LAST_UPDATED_PATH = "/api/crime-last-updated"
STREET_DATES_PATH = "/api/crimes-street-dates"
ARCHIVE_MONTHS = 36
"""How many months, up to and including its own, one monthly archive holds."""
COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class ArchivePlan:
    """One archive to download and the months to take from it."""

    archive_month: date
    months: tuple[date, ...]

    @property
    def name(self) -> str:
        return f"{format_month(self.archive_month)}.zip"


@dataclass(frozen=True)
class FetchReport:
    """What a fetch did: archives used, files taken, and the load (None if nothing was new)."""

    archives: tuple[str, ...]
    files: tuple[str, ...]
    missing: tuple[str, ...]
    load: LoadReport | None


def parse_month(text: str) -> date:
    try:
        year, month = text.strip()[:7].split("-")
        return date(int(year), int(month), 1)
    except ValueError as exc:
        raise FetchError(f"expected a month as YYYY-MM, got {text!r}") from exc


def parse_months(text: str) -> list[date]:
    """``2025-01..2025-06`` or ``2025-03`` as a list of months."""
    first_text, _, last_text = text.partition("..")
    first = parse_month(first_text)
    last = parse_month(last_text) if last_text else first
    if last < first:
        raise FetchError(f"the month range {text!r} ends before it starts")
    months = [first]
    while months[-1] < last:
        months.append(add_months(months[-1], 1))
    return months


def plan_archives(months: Sequence[date]) -> list[ArchivePlan]:
    """The fewest archives covering ``months``: the newest wanted month's archive covers the
    36 months up to it, and so on for older months."""
    remaining = sorted(set(months), reverse=True)
    plans: list[ArchivePlan] = []
    while remaining:
        newest = remaining[0]
        oldest = add_months(newest, -(ARCHIVE_MONTHS - 1))
        covered = tuple(sorted(m for m in remaining if m >= oldest))
        plans.append(ArchivePlan(newest, covered))
        remaining = [m for m in remaining if m < oldest]
    return plans


def held_months(db: Path) -> dict[str, set[date]]:
    """force -> months of street data the warehouse holds (empty if there is no warehouse)."""
    if not db.exists():
        return {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT force_slug, month FROM sources WHERE kind = 'street' AND replaced_by IS NULL"
        ).fetchall()
    finally:
        con.close()
    held: dict[str, set[date]] = {}
    for force, month in rows:
        held.setdefault(str(force), set()).add(month)
    return held


def latest_wanted(
    fetcher: Fetcher, base_url: str, held: dict[str, set[date]], forces: Sequence[str]
) -> dict[str, list[date]]:
    """force -> months to fetch so the warehouse is up to date, from the API's dates."""
    last = parse_month(str(fetcher.get_json(base_url + LAST_UPDATED_PATH)["date"]))
    dates = fetcher.get_json(base_url + STREET_DATES_PATH)
    published = sorted({parse_month(str(d["date"])) for d in dates} | {last})
    published = [m for m in published if m <= last]
    wanted: dict[str, list[date]] = {}
    for force in forces or sorted(held):
        newest = max(held.get(force, set()), default=None)
        months = [m for m in published if m > newest] if newest else [last]
        if months:
            wanted[force] = months
    return wanted


def extract_wanted(
    archive: Path, months: Sequence[date], forces: Sequence[str] | None, stage: Path
) -> list[Path]:
    """Copy the wanted months' (and forces') files out of the archive into ``stage``.

    Every member read is checked against its CRC; a damaged archive raises FetchError.
    """
    wanted_months = {format_month(m) for m in months}
    taken: list[Path] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                match = FILE_NAME_PATTERN.match(Path(info.filename).name)
                if match is None or match["month"] not in wanted_months:
                    continue
                if forces is not None and match["force"] not in forces:
                    continue
                out = stage / match["month"] / Path(info.filename).name
                out.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, out.open("wb") as dst:
                    shutil.copyfileobj(src, dst, COPY_CHUNK)
                taken.append(out)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise FetchError(f"{archive.name} is not a usable zip archive ({exc})") from exc
    return sorted(taken)


def fetch_police_uk(
    db: Path,
    *,
    months: Sequence[date] = (),
    forces: Sequence[str] = (),
    latest: bool = False,
    base_url: str = DEFAULT_BASE_URL,
    cache: Path | None = None,
    fetcher: Fetcher | None = None,
    progress: Progress | None = None,
) -> FetchReport:
    """Fetch police.uk months (all forces, or ``forces``) and load them into ``db``."""
    from cspkit.warehouse.connection import writing

    fetcher = fetcher or Fetcher(UrllibClient())
    base_url = base_url.rstrip("/")
    cache = cache or db.with_name(db.name + ".downloads")
    force_list = [_force_id(f) for f in forces]
    if latest:
        wanted = latest_wanted(fetcher, base_url, held_months(db), force_list)
        if not wanted:
            return FetchReport((), (), (), None)
        month_set = sorted({m for ms in wanted.values() for m in ms})
    elif months:
        month_set = sorted(set(months))
        wanted = {f: month_set for f in force_list}
    else:
        raise FetchError("say which months to fetch (e.g. 2025-01..2025-06) or ask for the latest")
    want_forces = sorted(wanted) if wanted else None
    archives: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cspkit-fetch-") as tmp:
        stage = Path(tmp)
        files: list[Path] = []
        for plan in plan_archives(month_set):
            path = fetcher.download(
                base_url + ARCHIVE_PATH.format(month=format_month(plan.archive_month)),
                cache / plan.name,
                progress,
            )
            archives.append(plan.name)
            try:
                taken = extract_wanted(path, plan.months, want_forces, stage)
            except FetchError as exc:
                path.unlink(missing_ok=True)
                raise FetchError(
                    f"{exc}; it was deleted so the next fetch downloads it again, and the "
                    "warehouse is unchanged"
                ) from exc
            files.extend(f for f in taken if _wanted(f, wanted))
        missing = _missing(files, wanted)
        if not files:
            return FetchReport(tuple(archives), (), tuple(missing), None)
        with writing(db) as con:
            report = load_police_uk(con, files, progress=progress or _quiet)
    return FetchReport(tuple(archives), tuple(f.name for f in files), tuple(missing), report)


def _force_id(text: str) -> str:
    """A police.uk force id from an id or a name; FetchError with suggestions if unknown."""
    from cspkit.ingest.forces import force_by_id, force_by_name, nearest_force_ids

    force = force_by_id(text) or force_by_name(text)
    if force is None:
        near = ", ".join(nearest_force_ids(text)) or "see data.police.uk/api/forces"
        raise FetchError(f"no police.uk force {text!r}; did you mean: {near}?")
    return force.id


def _quiet(step: str, done: int, total: int) -> None:
    """No progress output."""


def _wanted(path: Path, wanted: dict[str, list[date]]) -> bool:
    match = FILE_NAME_PATTERN.match(path.name)
    if match is None:
        return False
    if not wanted:
        return True
    months = wanted.get(match["force"])
    return months is not None and parse_month(match["month"]) in months


def _missing(files: Sequence[Path], wanted: dict[str, list[date]]) -> list[str]:
    """Wanted force-months with no street file in the archives (not published)."""
    got = set()
    for f in files:
        match = FILE_NAME_PATTERN.match(f.name)
        if match and match["kind"] == "street":
            got.add((match["force"], match["month"]))
    return [
        f"{force} {format_month(m)}"
        for force, months in sorted(wanted.items())
        for m in months
        if (force, format_month(m)) not in got
    ]
