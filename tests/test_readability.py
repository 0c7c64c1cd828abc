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


@pytest.mark.parametrize(
    ("function", "word", "expected"),
    [
        (readability.french_syllables, "maladie", 3),
        (readability.french_syllables, "moelle", 1),
        (readability.french_syllables, "fièvre", 1),
        (readability.french_syllables, "leucémie", 3),
        (readability.russian_syllables, "лейкоз", 2),
        (readability.russian_syllables, "температура", 5),
        (readability.portuguese_syllables, "leucemia", 3),
        (readability.portuguese_syllables, "medula", 3),
        (readability.portuguese_syllables, "infecção", 3),
        (readability.portuguese_syllables, "transfusões", 3),
    ],
)
def test_syllables_per_language(function, word, expected):
    assert function(word) == expected


@pytest.mark.parametrize("lang", ["fr", "ru", "ar", "pt-BR", "es", "en"])
def test_validated_formulas_are_easier_for_short_plain_text(lang):
    plain = {
        "fr": "Le chat dort. Il fait beau.",
        "ru": "Кот спит. Мама дома.",
        "ar": "هذا بيت. أنا أحب أمي.",
        "pt-BR": "O gato dorme. A casa é bela.",
        "es": "El gato duerme. La casa es bonita.",
        "en": "The cat sleeps. The house is nice.",
    }[lang]
    hard = {
        "fr": "L'administration intrathécale de chimiothérapie nécessite une surveillance particulièrement rigoureuse et multidisciplinaire.",
        "ru": "Интратекальное введение химиотерапевтических препаратов требует внимательного междисциплинарного наблюдения специалистов.",
        "ar": "يتطلب إعطاء العلاج الكيميائي داخل القراب مراقبة متعددة التخصصات دقيقة ومستمرة للمضاعفات المحتملة والتفاعلات الدوائية.",
        "pt-BR": "A administração intratecal de quimioterapia necessita de vigilância multidisciplinar particularmente rigorosa.",
        "es": "La administración intratecal de quimioterapia necesita vigilancia multidisciplinaria particularmente rigurosa.",
        "en": "Intrathecal chemotherapy administration necessitates particularly rigorous multidisciplinary surveillance.",
    }[lang]
    formula = readability.FORMULAS[lang]
    easy_first = (
        readability.score(plain, lang) < readability.score(hard, lang)
        if formula.higher_is_harder
        else readability.score(plain, lang) > readability.score(hard, lang)
    )
    assert easy_first


@pytest.mark.parametrize("lang", ["zh-Hans", "ko", "vi", "tl", "ht"])
def test_unmeasured_languages_report_sentence_length_without_crashing(lang, tiny):
    from careprint.content import load_content

    content, _ = load_content(tiny)
    handout = content.topics[0].handouts["adult"]
    sample = {"zh-Hans": "白血病是血液的癌症。骨髓会制造血细胞。", "ko": "백혈병은 혈액 암입니다. 골수는 혈액 세포를 만듭니다."}.get(
        lang, "Sa ay maikli. Ito ay mahaba pa."
    )
    block = handout.blocks[1]
    translated = type(handout)(
        **{
            **{f: getattr(handout, f) for f in handout.__dataclass_fields__},
            "blocks": (type(block)(block.id, block.kind, block.line, {"text": (block.one("text").translated(sample),)}),),
        }
    )
    report = readability.assess(translated, lang)
    assert report.value is None and report.formula == "not measured" and report.passed
    assert report.sentences == 2
    assert report.unit == ("characters" if lang in ("zh-Hans", "ko") else "words")
    assert report.words > 0
