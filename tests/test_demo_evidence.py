"""The demo's printed recommendations say what each figure measures."""

from __future__ import annotations

import json
from pathlib import Path

from cspkit.demo_evidence import recommendation_lines

ASSESSMENT = {
    "priorities": [
        {
            "issue": "Drugs",
            "components": [
                {
                    "dimension": "trend",
                    "value": 34.4,
                    "points": 3,
                    "rule": "34.4 = % rise, counted only when statistically significant; "
                    "thresholds 0.001, 10, 20, 40 give 3 of 4 points",
                },
                {
                    "dimension": "volume",
                    "value": 66.7,
                    "points": 1,
                    "rule": "66.7 = worse than this % of peer districts (rate per 1,000); "
                    "thresholds 25, 50, 75, 90 give 1 of 4 points",
                },
            ],
        }
    ],
    "recommendations": [
        {
            "rank": 1,
            "issue": "Drugs",
            "score": 10.5,
            "top_reasons": [
                {"dimension": "trend", "value": 34.4, "points": 3},
                {"dimension": "volume", "value": 66.7, "points": 1},
            ],
        }
    ],
}


def test_each_reason_names_its_measure_and_points(tmp_path: Path) -> None:
    (tmp_path / "assessment.json").write_text(json.dumps(ASSESSMENT), encoding="utf-8")
    assert recommendation_lines(tmp_path) == [
        "1. Drugs (score 10.5): trend 34.4 (% rise, counted only when statistically "
        "significant): 3 points; volume 66.7 (worse than this % of peer districts (rate per "
        "1,000)): 1 point"
    ]
