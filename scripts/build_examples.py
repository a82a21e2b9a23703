"""Build the illustrative example files the demonstration loads for Maidstone.

Every value written here is INVENTED (from a seeded random generator) to show what partners'
figures and a resident survey look like in a report. None of it is real data, and each file
says so. Run from the repository root: python scripts/build_examples.py
"""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "src" / "cspkit" / "reference" / "examples"
LABEL = "ILLUSTRATIVE EXAMPLE: invented figures, not real data"
SEED = 2025
FIRST_MONTH, LAST_MONTH = date(2022, 1, 1), date(2025, 4, 1)
#: Kent districts with illustrative partner figures (codes), Maidstone first.
DISTRICTS = {
    "E07000110": 1.0,  # Maidstone
    "E07000105": 0.75,  # Ashford
    "E07000106": 0.85,  # Canterbury
    "E07000113": 0.9,  # Swale
    "E07000114": 1.0,  # Thanet
    "E07000115": 0.6,  # Tonbridge and Malling
}
#: id, name, unit, polarity, agency, monthly mean for Maidstone, yearly drift
INDICATORS = (
    (
        "domestic-abuse-incidents",
        "Domestic abuse incidents",
        "count",
        "higher-is-worse",
        "Illustrative: police domestic abuse flag",
        260.0,
        0.06,
    ),
    (
        "marac-cases",
        "MARAC cases heard",
        "count",
        "higher-is-worse",
        "Illustrative: MARAC coordinator",
        14.0,
        0.0,
    ),
    (
        "hospital-admissions-assault",
        "Hospital admissions for assault",
        "count",
        "higher-is-worse",
        "Illustrative: NHS Kent and Medway",
        6.0,
        0.0,
    ),
    (
        "deliberate-fires",
        "Deliberate fires",
        "count",
        "higher-is-worse",
        "Illustrative: Kent Fire and Rescue Service",
        12.0,
        -0.05,
    ),
    (
        "cpw-cpn-issued",
        "Community Protection Warnings and Notices issued",
        "count",
        "neutral",
        "Illustrative: council community protection team",
        9.0,
        0.1,
    ),
    (
        "section-136-detentions",
        "Section 136 detentions",
        "count",
        "higher-is-worse",
        "Illustrative: Kent Police and NHS",
        5.0,
        0.0,
    ),
    (
        "hate-crime",
        "Hate crimes recorded",
        "count",
        "higher-is-worse",
        "Illustrative: Kent Police",
        18.0,
        0.0,
    ),
)
#: yearly (April-March) percentages: id, name, agency, value for Maidstone
YEARLY = (
    (
        "domestic-abuse-repeat-victims",
        "Domestic abuse repeat victims (% of victims)",
        "Illustrative: police domestic abuse flag",
        31.0,
    ),
    (
        "reoffending-rate",
        "Proven re-offending rate (% of offenders)",
        "Illustrative: Probation Service",
        27.0,
    ),
)
WARDS = (
    "High Street",
    "Shepway North",
    "Park Wood",
    "Bearsted",
    "Fant",
    "Allington",
    "Headcorn",
    "Staplehurst",
    "North",
    "East",
)
QUESTIONS = (
    (
        "Q1",
        "safe_day",
        "How safe or unsafe do you feel in your local area during the day?",
        0.90,
        ["Very safe", "Fairly safe"],
        ["Fairly unsafe", "Very unsafe"],
    ),
    (
        "Q2",
        "safe_dark",
        "How safe or unsafe do you feel in your local area after dark?",
        0.62,
        ["Very safe", "Fairly safe"],
        ["Fairly unsafe", "Very unsafe"],
    ),
    (
        "Q3",
        "safe_town_night",
        "How safe do you feel in Maidstone town centre at night?",
        0.38,
        ["Very safe", "Fairly safe"],
        ["Fairly unsafe", "Very unsafe"],
    ),
    (
        "Q4",
        "police_council_deal",
        "Agree the police and council deal with the anti-social "
        "behaviour and crime issues that matter in this area",
        0.52,
        ["Strongly agree", "Tend to agree"],
        ["Tend to disagree", "Strongly disagree"],
    ),
)
ISSUES = (
    ("Anti-social behaviour", 0.46),
    ("Drug dealing or drug use", 0.41),
    ("Speeding or dangerous driving", 0.37),
    ("Burglary", 0.18),
    ("Shoplifting", 0.12),
    ("Violent crime", 0.21),
    ("Fly-tipping", 0.25),
    ("Domestic abuse", 0.08),
    ("Drunk or rowdy behaviour", 0.16),
)
PLACES = (
    ("Week Street", 0.14),
    ("Brenchley Gardens", 0.09),
    ("Maidstone East station", 0.07),
    ("Mote Park", 0.04),
    ("Lockmeadow", 0.05),
)
RESPONDENTS = 1100
PREVIOUS_WAVE = {
    "safe_day": 91.0,
    "safe_dark": 69.0,
    "safe_town_night": 45.0,
    "police_council_deal": 51.0,
}
PREVIOUS_BASE = 1050


def _months() -> list[date]:
    out, m = [], FIRST_MONTH
    while m <= LAST_MONTH:
        out.append(m)
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def _poisson(rng: random.Random, mean: float) -> int:
    # inversion by sequential search: fine for the small means used here
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _month_end(m: date) -> date:
    nxt = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def partner_files(rng: random.Random) -> None:
    with open(EXAMPLES / "maidstone_partner_registry.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "indicator",
                "name",
                "unit",
                "polarity",
                "denominator_basis",
                "source_agency",
                "description",
            ]
        )
        for iid, name, unit, pol, agency, _, _ in INDICATORS:
            w.writerow([iid, name, unit, pol, "persons", agency, LABEL])
        for iid, name, agency, _ in YEARLY:
            w.writerow([iid, name, "percent", "higher-is-worse", "none", agency, LABEL])
    with open(EXAMPLES / "maidstone_partner_indicators.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["indicator", "area", "period_start", "period_end", "value", "denominator"])
        months = _months()
        for iid, _, _, _, _, mean, drift in INDICATORS:
            for code, scale in DISTRICTS.items():
                for i, m in enumerate(months):
                    level = mean * scale * (1 + drift) ** (i / 12)
                    w.writerow(
                        [
                            iid,
                            code,
                            m.isoformat(),
                            _month_end(m).isoformat(),
                            _poisson(rng, level),
                            "",
                        ]
                    )
        for iid, _, _, value in YEARLY:
            for code, scale in DISTRICTS.items():
                for year in (2023, 2024):
                    v = round(value * (0.8 + 0.3 * scale) + rng.uniform(-2, 2), 1)
                    w.writerow([iid, code, f"{year}-04-01", f"{year + 1}-03-31", v, 400])


def survey_files(rng: random.Random) -> None:
    header = ["respondent", "ward", "weight", *(q[0] for q in QUESTIONS), "Q5", "Q6", "label"]
    with open(EXAMPLES / "maidstone_survey_2025.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in range(1, RESPONDENTS + 1):
            ward = WARDS[min(len(WARDS) - 1, int(rng.expovariate(0.35)))]
            row: list[object] = [r, ward, round(rng.uniform(0.6, 1.6), 3)]
            for _, _, _, p, positive, other in QUESTIONS:
                u = rng.random()
                if u < 0.04:
                    row.append("Don't know")
                elif rng.random() < p:
                    row.append(rng.choice(positive))
                else:
                    row.append(rng.choice(other))
            row.append(";".join(name for name, p in ISSUES if rng.random() < p))
            row.append(" and ".join(name for name, p in PLACES if rng.random() < p))
            row.append(LABEL)
            w.writerow(row)
    lines = [
        f"# {LABEL}. The answers in maidstone_survey_2025.csv are invented for the",
        "# demonstration; they are not the views of Maidstone's residents.",
        "district: Maidstone",
        f"note: '{LABEL}'",
        "weight: weight",
        "area: ward",
        "questions:",
    ]
    for column, qid, text, _, positive, other in QUESTIONS:
        lines += [
            f"  - id: {qid}",
            f"    column: {column}",
            f'    text: "{text}"',
            f"    positive: [{', '.join(positive)}]",
            f"    other: [{', '.join(other)}]",
            "    exclude: [Don't know]",
        ]
    lines += [
        "  - id: issues",
        "    column: Q5",
        "    kind: multi",
        "    text: Which issues most need tackling in your area? (choose any)",
        "    options: [" + ", ".join(n for n, _ in ISSUES) + "]",
        "  - id: unsafe_places",
        "    column: Q6",
        "    kind: places",
        "    text: Are there places in Maidstone where you feel unsafe? (free text)",
        "    places: [" + ", ".join(n for n, _ in PLACES) + "]",
    ]
    (EXAMPLES / "maidstone_survey_questions.yaml").write_text("\n".join(lines) + "\n")
    with open(EXAMPLES / "maidstone_survey_2019_results.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["wave", "area", "question", "text", "percent", "base", "note"])
        for _, qid, text, *_ in QUESTIONS:
            w.writerow(["2019", "Maidstone", qid, text, PREVIOUS_WAVE[qid], PREVIOUS_BASE, LABEL])


def main() -> None:
    rng = random.Random(SEED)
    partner_files(rng)
    survey_files(rng)


if __name__ == "__main__":
    main()
