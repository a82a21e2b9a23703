"""The "Is it anti-social behaviour?" guide, from the Partnership Plan's lists.

Each behaviour says whether it is ASB and whom to tell first. The plan marks some kinds of ASB
"report to the police first"; the rest of its ASB list is for the council's ASB team. Some
behaviours that are not ASB are still crimes (littering, fly-tipping), reported to the council.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: National support lines, free and open 24 hours unless stated (shown with the local ones).
NATIONAL_DOMESTIC_ABUSE_HELPLINE = ("National Domestic Abuse Helpline", "0808 2000 247")
MENS_ADVICE_LINE = ("Men's Advice Line, for men experiencing domestic abuse", "0808 8010 327")
VICTIM_SUPPORT_LINE = ("Victim Support, free and confidential support for victims", "0808 168 9111")
#: Behaviours whose answer gives support lines as well as where to report.
SUPPORT_LINES: dict[str, tuple[tuple[str, str], ...]] = {
    "domestic-abuse": (NATIONAL_DOMESTIC_ABUSE_HELPLINE, MENS_ADVICE_LINE),
    "physical-violence": (VICTIM_SUPPORT_LINE,),
    "hate-incidents": (VICTIM_SUPPORT_LINE,),
}


class Tell(StrEnum):
    """Whom to tell first."""

    POLICE = "police"
    COUNCIL = "council"
    NOBODY = "nobody"


@dataclass(frozen=True)
class Behaviour:
    """One item of the plan's lists."""

    slug: str
    label: str
    is_asb: bool
    tell: Tell
    note: str = ""

    @property
    def support_lines(self) -> tuple[tuple[str, str], ...]:
        """(name, telephone) of national support lines for this behaviour, if any."""
        return SUPPORT_LINES.get(self.slug, ())

    @property
    def is_domestic_abuse(self) -> bool:
        """Domestic abuse answers also give the local domestic abuse service."""
        return self.slug == "domestic-abuse"

    @property
    def answer(self) -> str:
        """The answer in one sentence."""
        if self.is_asb and self.tell is Tell.POLICE:
            return "This is anti-social behaviour. Report it to the police first."
        if self.is_asb:
            return "This is anti-social behaviour. Report it to the council's ASB team first."
        if self.tell is Tell.COUNCIL:
            return f"This is not anti-social behaviour, but it is a crime. {self.note}"
        return f"This is not usually anti-social behaviour. {self.note}".strip()


_CIVIL = "Try talking to the person calmly, or use a mediation service if that does not help."

BEHAVIOURS: tuple[Behaviour, ...] = (
    Behaviour("domestic-abuse", "Domestic violence and abuse", True, Tell.POLICE),
    Behaviour("physical-violence", "Physical violence", True, Tell.POLICE),
    Behaviour(
        "hate-incidents",
        "Hate-related incidents (for example based on race, sexual orientation, gender, "
        "disability or belief)",
        True,
        Tell.POLICE,
    ),
    Behaviour(
        "harassment",
        "Verbal abuse, harassment, intimidation or threatening behaviour",
        True,
        Tell.POLICE,
    ),
    Behaviour("vandalism", "Vandalism and damage to property", True, Tell.POLICE),
    Behaviour("sexual-acts", "Prostitution, sexual acts or kerb crawling", True, Tell.POLICE),
    Behaviour("drugs", "Criminal behaviour, including using or dealing drugs", True, Tell.POLICE),
    Behaviour(
        "misuse-of-public-spaces",
        "Misuse of open spaces or public areas, or loitering, including begging and "
        "off-road use of vehicles",
        True,
        Tell.POLICE,
    ),
    Behaviour("rowdy-behaviour", "Rowdy behaviour linked to drugs or alcohol", True, Tell.COUNCIL),
    Behaviour("noise", "Noise complaints", True, Tell.COUNCIL),
    Behaviour(
        "problem-neighbours",
        "Problem neighbours, nuisance dogs and dog fouling",
        True,
        Tell.COUNCIL,
    ),
    Behaviour("cooking-smells", "Cooking smells", False, Tell.NOBODY, _CIVIL),
    Behaviour("diy", "DIY at reasonable hours", False, Tell.NOBODY, _CIVIL),
    Behaviour("car-repairs", "Minor car repairs", False, Tell.NOBODY, _CIVIL),
    Behaviour(
        "young-people-gathering",
        "Young people gathering socially",
        False,
        Tell.NOBODY,
        "Young people meeting friends is not ASB unless they cause harassment, alarm or distress.",
    ),
    Behaviour(
        "children-playing",
        "Children playing in the street, including ball games",
        False,
        Tell.NOBODY,
    ),
    Behaviour(
        "parking-disputes",
        "Parking disputes",
        False,
        Tell.NOBODY,
        "Dangerous or obstructive parking can be reported to the council or the police.",
    ),
    Behaviour("civil-disputes", "Civil disputes between neighbours", False, Tell.NOBODY, _CIVIL),
    Behaviour(
        "social-media-disputes",
        "Disputes on social media",
        False,
        Tell.NOBODY,
        "Threats or hate online are crimes: report those to the police.",
    ),
    Behaviour("lifestyle", "Lifestyle differences", False, Tell.NOBODY, _CIVIL),
    Behaviour(
        "bonfires",
        "Bonfires and barbecues",
        False,
        Tell.NOBODY,
        "Smoke that happens often may be a statutory nuisance: the council can advise.",
    ),
    Behaviour("house-parties", "One-off house parties", False, Tell.NOBODY, _CIVIL),
    Behaviour(
        "littering",
        "Littering",
        False,
        Tell.COUNCIL,
        "Report it to the council.",
    ),
    Behaviour(
        "fly-tipping",
        "Fly-tipping",
        False,
        Tell.COUNCIL,
        "Report it to the council.",
    ),
)

BY_SLUG = {b.slug: b for b in BEHAVIOURS}


def lookup(slug: str) -> Behaviour | None:
    """The behaviour with this slug, or None."""
    return BY_SLUG.get(slug)
