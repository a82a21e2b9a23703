"""The police forces that publish on data.police.uk: their ids and names.

The id is police.uk's own (``kent``, ``avon-and-somerset``, ``btp``): it appears in the names
of the downloaded files (``2025-01-kent-street.csv``) and in the police.uk API. The name is
exactly as police.uk writes it in the "Falls within" and "Reported by" columns. A file's force
is always one of these ids, so the same force cannot be stored under two spellings.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

#: How close (0-1, difflib ratio) a mistyped id or name must be to be suggested.
SUGGESTION_CUTOFF = 0.6
#: At most this many suggestions are offered.
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Force:
    """One police force: police.uk's id and the name its rows carry."""

    id: str
    name: str
    #: Other names police.uk has used for the force in "Falls within" (older or newer files).
    aliases: tuple[str, ...] = ()


FORCES: tuple[Force, ...] = (
    Force("avon-and-somerset", "Avon and Somerset Constabulary"),
    Force("bedfordshire", "Bedfordshire Police"),
    Force("btp", "British Transport Police"),
    Force("cambridgeshire", "Cambridgeshire Constabulary"),
    Force("cheshire", "Cheshire Constabulary"),
    Force("city-of-london", "City of London Police"),
    Force("cleveland", "Cleveland Police"),
    Force("cumbria", "Cumbria Constabulary"),
    Force("derbyshire", "Derbyshire Constabulary"),
    Force("devon-and-cornwall", "Devon & Cornwall Police", ("Devon and Cornwall Police",)),
    Force("dorset", "Dorset Police"),
    Force("durham", "Durham Constabulary"),
    Force("dyfed-powys", "Dyfed-Powys Police"),
    Force("essex", "Essex Police"),
    Force("gloucestershire", "Gloucestershire Constabulary"),
    Force("greater-manchester", "Greater Manchester Police"),
    Force("gwent", "Gwent Police"),
    Force("hampshire", "Hampshire Constabulary", ("Hampshire and Isle of Wight Constabulary",)),
    Force("hertfordshire", "Hertfordshire Constabulary"),
    Force("humberside", "Humberside Police"),
    Force("kent", "Kent Police"),
    Force("lancashire", "Lancashire Constabulary"),
    Force("leicestershire", "Leicestershire Police"),
    Force("lincolnshire", "Lincolnshire Police"),
    Force("merseyside", "Merseyside Police"),
    Force("metropolitan", "Metropolitan Police Service"),
    Force("norfolk", "Norfolk Constabulary"),
    Force("north-wales", "North Wales Police"),
    Force("north-yorkshire", "North Yorkshire Police"),
    Force("northamptonshire", "Northamptonshire Police"),
    Force("northern-ireland", "Police Service of Northern Ireland"),
    Force("northumbria", "Northumbria Police"),
    Force("nottinghamshire", "Nottinghamshire Police"),
    Force("south-wales", "South Wales Police"),
    Force("south-yorkshire", "South Yorkshire Police"),
    Force("staffordshire", "Staffordshire Police"),
    Force("suffolk", "Suffolk Constabulary"),
    Force("surrey", "Surrey Police"),
    Force("sussex", "Sussex Police"),
    Force("thames-valley", "Thames Valley Police"),
    Force("warwickshire", "Warwickshire Police"),
    Force("west-mercia", "West Mercia Police"),
    Force("west-midlands", "West Midlands Police"),
    Force("west-yorkshire", "West Yorkshire Police"),
    Force("wiltshire", "Wiltshire Police"),
)

#: Words of force names that say nothing about which force it is.
_GENERIC_WORDS = re.compile(r"\b(police|constabulary|service|of)\b")

_BY_ID: dict[str, Force] = {f.id: f for f in FORCES}
_BY_NAME: dict[str, Force] = {
    " ".join(name.split()).casefold(): f for f in FORCES for name in (f.name, *f.aliases)
}


def force_by_id(force_id: str) -> Force | None:
    """The force with this police.uk id (case and surrounding spaces ignored), or None."""
    return _BY_ID.get(force_id.strip().lower())


def force_by_name(name: str) -> Force | None:
    """The force police.uk names ``name`` in "Falls within" / "Reported by", or None.

    Case and runs of spaces are ignored; nothing else is guessed.
    """
    return _BY_NAME.get(" ".join(name.split()).casefold())


def _core(text: str) -> str:
    """A name without its generic words: "kent police" -> "kent"."""
    return " ".join(_GENERIC_WORDS.sub(" ", text.replace("-", " ")).split())


def nearest_force_ids(text: str) -> tuple[str, ...]:
    """Force ids close to ``text`` (an id or a name, perhaps mistyped), best first.

    For "did you mean" messages: ``nearest_force_ids("Kenf")`` is ``("kent",)``.
    """
    wanted = text.strip().lower()
    if not wanted:
        return ()
    slug = re.sub(r"[^a-z0-9]+", "-", wanted).strip("-")
    core = _core(wanted)
    candidates: dict[str, str] = {f.id: f.id for f in FORCES}
    candidates.update({key: f.id for key, f in _BY_NAME.items()})
    candidates.update({_core(key): f.id for key, f in _BY_NAME.items() if _core(key)})
    scored: dict[str, float] = {}
    for probe in {p for p in (wanted, slug, core) if p}:
        for key in difflib.get_close_matches(
            probe, list(candidates), n=MAX_SUGGESTIONS * 2, cutoff=SUGGESTION_CUTOFF
        ):
            ratio = difflib.SequenceMatcher(None, probe, key).ratio()
            force_id = candidates[key]
            scored[force_id] = max(scored.get(force_id, 0.0), ratio)
    best = sorted(scored.items(), key=lambda item: (-item[1], item[0]))
    return tuple(force_id for force_id, _ in best[:MAX_SUGGESTIONS])


__all__ = ["FORCES", "Force", "force_by_id", "force_by_name", "nearest_force_ids"]
