"""The shipped table of police.uk forces and its lookups."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.ingest.forces import FORCES, force_by_id, force_by_name, nearest_force_ids
from cspkit.reference import sample_police_uk_dir
from tests.conftest import SHARED_DATA

ID_PATTERN = re.compile(r"^[a-z]+(?:-[a-z]+)*$")


def test_every_force_of_england_wales_and_northern_ireland_is_listed() -> None:
    # 43 territorial forces of England and Wales, British Transport Police, and the PSNI.
    assert len(FORCES) == 45
    assert len({f.id for f in FORCES}) == len(FORCES)
    assert len({f.name for f in FORCES}) == len(FORCES)
    assert all(ID_PATTERN.match(f.id) for f in FORCES)


@pytest.mark.parametrize(
    ("force_id", "name"),
    [
        ("avon-and-somerset", "Avon and Somerset Constabulary"),
        ("metropolitan", "Metropolitan Police Service"),
        ("btp", "British Transport Police"),
        ("city-of-london", "City of London Police"),
        ("dyfed-powys", "Dyfed-Powys Police"),
        ("devon-and-cornwall", "Devon & Cornwall Police"),
        ("northern-ireland", "Police Service of Northern Ireland"),
        ("kent", "Kent Police"),
    ],
)
def test_id_and_name_lookups_agree(force_id: str, name: str) -> None:
    by_id = force_by_id(force_id)
    assert by_id is not None and by_id.name == name
    assert force_by_name(name) == by_id
    assert force_by_name(f"  {name.upper()} ") == by_id
    assert force_by_id(force_id.upper()) == by_id


def test_unknown_names_are_not_guessed() -> None:
    assert force_by_name("Kent") is None
    assert force_by_name("") is None
    assert force_by_id("kent-police") is None
    assert force_by_name("Hampshire and Isle of Wight Constabulary") == force_by_id("hampshire")


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Kenf", "kent"),
        ("avon somerset", "avon-and-somerset"),
        ("Metropolitan", "metropolitan"),
        ("dyfed powys", "dyfed-powys"),
        ("Greater Manchester", "greater-manchester"),
        ("west-yorks", "west-yorkshire"),
    ],
)
def test_nearest_force_ids_suggests_the_intended_force(typed: str, first: str) -> None:
    assert nearest_force_ids(typed)[0] == first


def test_nearest_force_ids_is_empty_for_nonsense() -> None:
    assert nearest_force_ids("") == ()
    assert nearest_force_ids("qqqqqq") == ()


@given(st.text(max_size=40))
def test_suggestions_are_always_real_ids(text: str) -> None:
    found = nearest_force_ids(text)
    assert len(found) <= 3
    assert all(force_by_id(i) is not None for i in found)


def _names_in(path: Path) -> set[str]:
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle)
        return {r["Falls within"] for r in rows}


def test_names_match_the_bundled_police_uk_files() -> None:
    files = sorted(sample_police_uk_dir().rglob("*-street.csv.gz"))
    assert files
    for path in files:
        force_id = path.name[len("2025-01-") : -len("-street.csv.gz")]
        force = force_by_id(force_id)
        assert force is not None, path.name
        assert _names_in(path) == {force.name}


def test_names_match_real_national_files() -> None:
    # Every force of a near-national police.uk month, when the shared data set is present;
    # otherwise the bundled Kent and Lincolnshire files above cover the same check.
    folder = SHARED_DATA / "police_uk_national_2024"
    files = sorted((folder / "2024-01").glob("*-street.csv.gz"))
    if not files:
        files = sorted(sample_police_uk_dir().rglob("*-street.csv.gz"))[:1]
    for path in files:
        force_id = path.name[len("2024-01-") : -len("-street.csv.gz")]
        force = force_by_id(force_id)
        assert force is not None, path.name
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
            first = next(csv.DictReader(handle))
        assert force_by_name(first["Falls within"]) == force
        assert force_by_name(first["Reported by"]) == force
