"""Stage 2: readability scores, per-language formulas, gates, and offline operation."""

from __future__ import annotations

import pytest
from conftest import REPO

from careprint import readability
from careprint.content import load_content


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("leucemia", 3),
        ("médula", 3),
        ("plaquetas", 3),
        ("oído", 3),
        ("país", 2),
        ("poeta", 3),
        ("creer", 2),
        ("guerra", 2),
        ("ciudad", 2),
        ("huevo", 2),
        ("muy", 1),
        ("y", 1),
        ("quimioterapia", 5),
        ("fiebre", 2),
        ("día", 2),
        ("aire", 2),
        ("linfoblástica", 5),
    ],
)
def test_spanish_syllables(word, expected):
    assert readability.spanish_syllables(word) == expected


@pytest.mark.parametrize(
    ("text", "lang", "low", "high"),
    [
        ("The cat sat on the mat. The dog ran to the park.", "en", -3, 2),
        ("Acute lymphoblastic leukemia necessitates multiagent chemotherapy administered intrathecally.", "en", 15, 40),
        ("El perro come pan. La casa es roja.", "es", 90, 130),
        ("La leucemia linfoblástica aguda requiere quimioterapia intratecal administrada periódicamente.", "es", -80, 30),
    ],
)
def test_scores_move_the_right_way(text, lang, low, high):
    assert low <= readability.score(text, lang) <= high


def test_languages_without_a_validated_formula_are_not_measured():
    assert readability.score("白血病是一种血癌。", "zh-Hans") is None
    assert readability.score("Bệnh bạch cầu là ung thư máu.", "vi") is None


def test_scoring_needs_no_network(monkeypatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("tried to download NLTK data")

    monkeypatch.setattr(nltk, "download", refuse)
    readability.ensure_offline_data()
    assert readability.english_syllables("leukemia") == 4
    assert readability.flesch_kincaid("Leukemia is a cancer of the blood.") > 0


def test_every_english_handout_meets_its_gate():
    readability.ensure_offline_data()
    content, _ = load_content(REPO)
    failures = []
    for handout in content.handouts():
        report = readability.assess(handout, "en")
        assert report.formula == "Flesch-Kincaid grade"
        assert report.sentences > 5 and report.blocks and report.longest
        if not report.passed:
            failures.append(f"{handout.topic}/{handout.audience}: {report.value:.1f} > {report.gate}")
    assert failures == []


def test_gate_problem_names_formula_threshold_and_longest_sentence(tiny):
    readability.ensure_offline_data()
    (tiny / "handouts" / "sample.yaml").write_text(
        (tiny / "handouts" / "sample.yaml")
        .read_text()
        .replace(
            "You are brave.",
            "Comprehensive multidisciplinary evaluation necessitates considerable institutional coordination.",
        )
    )
    content, _ = load_content(tiny)
    report = readability.assess(content.topics[0].handouts["child"], "en")
    problems = readability.gate_problems(report)
    assert len(problems) == 1
    text = str(problems[0])
    assert text.startswith("handouts/sample.yaml:3: ERROR: [child] Flesch-Kincaid grade")
    assert "> 4.0" in text and "Comprehensive" in text and text.endswith("[readability.gate]")
    assert "multidisciplinary" in [word for word, _ in report.hardest]


def test_abbreviations_do_not_end_sentences():
    assert readability.split_sentences("En los EE. UU. hay leyes. Pregunte al Dr. Pérez.") == ["En los EE. UU. hay leyes.", "Pregunte al Dr. Pérez."]
