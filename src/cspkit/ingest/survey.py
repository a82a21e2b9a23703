"""Loading a residents' survey: respondent-level answers, or published percentages.

Respondent-level files (CSV or XLSX) have one row per respondent and one column per question;
a questions file (YAML) says what each column asks and which answers count::

    district: Maidstone       # the district the survey covers (or --area)
    note: ''                  # printed beside every figure, e.g. that the data are illustrative
    weight: weight            # optional column of survey weights
    area: ward                # optional column: the respondent's ward or district
    questions:
      - id: safe_day
        column: Q1
        text: How safe or unsafe do you feel in your local area during the day?
        positive: [Very safe, Fairly safe]       # answers counted
        other: [Fairly unsafe, Very unsafe]      # other valid answers (in the base)
        exclude: [Don't know, Prefer not to say] # left out of the base
      - id: issues
        column: Q5
        kind: multi                # ranked multi-choice, options separated by ';'
        options: [Drug dealing, Speeding, ...]
      - id: unsafe_places
        column: Q6
        kind: places               # free text, counted by the place names given
        places: [Week Street, Brenchley Gardens]

Every answer must be listed (blank cells are "no answer"): an unlisted answer stops the load
with its row, column and text, and nothing is written. Published aggregates (wave, area,
question, text, percent, base) load with :func:`load_survey_results`. Loading a wave again
replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

from cspkit.errors import InputError
from cspkit.ingest.files import sha256_of
from cspkit.ingest.tabular import (
    NOTHING_WRITTEN,
    Problems,
    number_of,
    read_sheets,
    table_with_header,
    text_of,
)
from cspkit.ingest.tabular import next_source_id as _next_source_id
from cspkit.warehouse.series import resolve_district
from cspkit.warehouse.transaction import transaction

SOURCE_KIND = "survey"
PUBLISHED_KIND = "survey-results"
KINDS = ("single", "multi", "places")
MULTI_SEPARATOR = ";"
RESULT_COLUMNS = ("wave", "area", "question", "text", "percent", "base")
OPTIONAL_RESULT_COLUMNS = ("district", "note")


@dataclass(frozen=True)
class Question:
    """One question of a questions file."""

    id: str
    column: str
    text: str
    kind: str
    positive: tuple[str, ...] = ()
    valid: tuple[str, ...] = ()  # every answer allowed (positive + other + exclude, or options)
    exclude: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionsFile:
    """A parsed questions file."""

    district: str | None
    note: str
    weight: str | None
    area: str | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class SurveyLoadReport:
    """The outcome of a survey load."""

    file: str
    wave: str
    district: str
    respondents: int
    questions: int
    answers: int
    replaced: bool


def _strings(value: Any, where: str, file: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise InputError(
            "expected a list of answers, e.g. [Very safe, Fairly safe]", file=file, column=where
        )
    return tuple(str(v).strip() for v in value)


def read_questions(path: Path) -> QuestionsFile:
    """Parse and check a questions file."""
    file = path.name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot be read as YAML ({exc})", file=file) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("questions"), list):
        raise InputError("expected a mapping with a list 'questions'", file=file)
    questions = []
    for i, item in enumerate(doc["questions"]):
        where = f"questions[{i}]"
        if not isinstance(item, dict):
            raise InputError("expected a mapping", file=file, column=where)
        for key in ("id", "column"):
            if not item.get(key):
                raise InputError(f"expected a value for '{key}'", file=file, column=where)
        kind = str(item.get("kind", "single"))
        if kind not in KINDS:
            raise InputError(
                f"expected kind {', '.join(KINDS)}; found {kind!r}",
                file=file,
                column=f"{where}.kind",
            )
        positive = _strings(item.get("positive"), f"{where}.positive", file)
        exclude = _strings(item.get("exclude"), f"{where}.exclude", file)
        other = _strings(item.get("other"), f"{where}.other", file)
        options = _strings(item.get("options"), f"{where}.options", file)
        places = _strings(item.get("places"), f"{where}.places", file)
        if kind == "single" and not positive:
            raise InputError(
                "expected the answers counted, 'positive: [...]'", file=file, column=where
            )
        if kind == "multi" and not options:
            raise InputError("expected the options, 'options: [...]'", file=file, column=where)
        if kind == "places" and not places:
            raise InputError("expected the place names, 'places: [...]'", file=file, column=where)
        questions.append(
            Question(
                id=str(item["id"]),
                column=str(item["column"]),
                text=str(item.get("text") or item["id"]),
                kind=kind,
                positive=positive,
                valid=positive + other + exclude if kind == "single" else options,
                exclude=exclude,
                places=places,
            )
        )
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise InputError("expected each question id once", file=file, column="questions")
    return QuestionsFile(
        district=str(doc["district"]) if doc.get("district") else None,
        note=str(doc.get("note") or "").strip(),
        weight=str(doc["weight"]) if doc.get("weight") else None,
        area=str(doc["area"]) if doc.get("area") else None,
        questions=tuple(questions),
    )


def _answers(q: Question, text: str, row: int, problems: Problems) -> list[str]:
    """The stored answers for one cell (none for a blank or an excluded answer)."""
    if not text:
        return []
    if q.kind == "places":
        low = text.lower()
        return [p for p in q.places if p.lower() in low]
    parts = [p.strip() for p in text.split(MULTI_SEPARATOR)] if q.kind == "multi" else [text]
    lookup = {v.lower(): v for v in q.valid}
    found = []
    for part in parts:
        if part.lower() not in lookup:
            problems.add(row, q.column, "one of: " + ", ".join(q.valid), part)
            continue
        found.append(lookup[part.lower()])
    excluded = {e.lower() for e in q.exclude}
    return [a for a in found if a.lower() not in excluded]


def load_survey(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    questions: Path | str,
    wave: str,
    area: str | None = None,
) -> SurveyLoadReport:
    """Load respondent-level answers for a wave of a district's survey."""
    path, qpath = Path(path), Path(questions)
    spec = read_questions(qpath)
    district_text = area or spec.district
    if not district_text:
        raise InputError(
            "expected the district surveyed: 'district:' in the file or --area", file=qpath.name
        )
    district = resolve_district(con, district_text)
    columns = tuple(q.column for q in spec.questions)
    extra = tuple(c for c in (spec.weight, spec.area) if c)
    sheets = read_sheets(path)
    header = {text_of(c): i for i, c in enumerate(sheets[0].rows[0][1])} if sheets[0].rows else {}
    for column in (*columns, *extra):
        if column not in header:
            raise InputError(
                f"missing column {column!r} named in {qpath.name}; found " + ", ".join(header),
                file=sheets[0].where,
                row=1,
                column=column,
                kept=NOTHING_WRITTEN,
            )
    problems = Problems(sheets[0].where)
    records: list[tuple[int, str | None, float, str, str]] = []
    respondents = 0
    for row, cells in sheets[0].rows[1:]:

        def cell(column: str, cells: tuple[Any, ...] = cells) -> Any:
            i = header[column]
            return cells[i] if i < len(cells) else None

        respondents += 1
        weight = 1.0
        if spec.weight:
            number = number_of(cell(spec.weight))
            if number is None or not number > 0:
                problems.add(row, spec.weight, "a weight above 0", cell(spec.weight))
            else:
                weight = number
        where = text_of(cell(spec.area)) or None if spec.area else None
        for q in spec.questions:
            for answer in _answers(q, text_of(cell(q.column)), row, problems):
                records.append((respondents, where, weight, q.id, answer))
    problems.raise_if_any()
    if respondents == 0:
        raise InputError("holds no respondents", file=sheets[0].where, kept=NOTHING_WRITTEN)
    with transaction(con):
        replaced = _drop_wave(con, district.code, wave)
        source_id = _source(con, SOURCE_KIND, sheets[0].where, sha256_of(path), respondents)
        con.executemany(
            "INSERT INTO survey_questions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    source_id,
                    district.code,
                    wave,
                    q.id,
                    q.text,
                    q.kind,
                    list(q.positive) if q.kind == "single" else None,
                    spec.note,
                ]
                for q in spec.questions
            ],
        )
        if records:
            con.executemany(
                "INSERT INTO survey_answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[source_id, district.code, wave, *r] for r in records],
            )
    return SurveyLoadReport(
        sheets[0].where,
        wave,
        district.name,
        respondents,
        len(spec.questions),
        len(records),
        replaced,
    )


def _drop_wave(con: duckdb.DuckDBPyConnection, lad_code: str, wave: str) -> bool:
    before = con.execute(
        "SELECT count(*) FROM survey_questions WHERE lad_code = ? AND wave = ?", [lad_code, wave]
    ).fetchone()
    for table in ("survey_questions", "survey_answers", "survey_published"):
        con.execute(f"DELETE FROM {table} WHERE lad_code = ? AND wave = ?", [lad_code, wave])
    return bool(before and before[0])


def _source(con: duckdb.DuckDBPyConnection, kind: str, file: str, digest: str, rows: int) -> int:
    source_id = _next_source_id(con)
    con.execute(
        "INSERT INTO sources (source_id, kind, file_name, sha256, rows_read, rows_loaded, "
        "rows_quarantined) VALUES (?, ?, ?, ?, ?, ?, 0)",
        [source_id, kind, file, digest, rows, rows],
    )
    return source_id


def load_survey_results(
    con: duckdb.DuckDBPyConnection, path: Path | str, *, area: str | None = None
) -> SurveyLoadReport:
    """Load published survey percentages: wave, area, question, text, percent, base
    [, district, note]. ``area`` is the district or one of its wards; ``district`` (or the
    ``area`` argument) says which district's survey it is when rows give wards."""
    path = Path(path)
    table = table_with_header(read_sheets(path), RESULT_COLUMNS, OPTIONAL_RESULT_COLUMNS)
    problems = Problems(table.file)
    rows: list[tuple[str, str, str, str, str, float, int, str]] = []
    for row, get in table.records():
        wave, where, question = text_of(get("wave")), text_of(get("area")), text_of(get("question"))
        for column, value in (("wave", wave), ("area", where), ("question", question)):
            if not value:
                problems.add(row, column, "a value", get(column))
        percent, base = number_of(get("percent")), number_of(get("base"))
        if percent is None or not 0 <= percent <= 100:
            problems.add(row, "percent", "a percentage from 0 to 100", get("percent"))
        if base is None or base < 1 or not float(base).is_integer():
            problems.add(row, "base", "a whole number of respondents, 1 or more", get("base"))
        district_text = text_of(get("district")) or area or where
        try:
            lad = resolve_district(con, district_text).code
        except Exception:
            problems.add(
                row,
                "district" if get("district") else "area",
                "a district name or code",
                district_text,
            )
            continue
        if percent is not None and base is not None:
            rows.append(
                (
                    lad,
                    wave,
                    where,
                    question,
                    text_of(get("text")) or question,
                    percent,
                    int(base),
                    text_of(get("note")),
                )
            )
    problems.raise_if_any()
    if not rows:
        raise InputError("holds no results", file=table.file, kept=NOTHING_WRITTEN)
    with transaction(con):
        replaced = False
        for lad, wave in sorted({(r[0], r[1]) for r in rows}):
            replaced = _drop_wave(con, lad, wave) or replaced
        source_id = _source(con, PUBLISHED_KIND, table.file, sha256_of(path), len(rows))
        con.executemany(
            "INSERT INTO survey_published VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[source_id, *r] for r in rows],
        )
    waves = sorted({r[1] for r in rows})
    return SurveyLoadReport(
        table.file,
        ", ".join(waves),
        ", ".join(sorted({r[0] for r in rows})),
        0,
        len({r[3] for r in rows}),
        len(rows),
        replaced,
    )
