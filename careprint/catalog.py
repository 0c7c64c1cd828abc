"""build/index.html: the page front-desk staff use to find a handout (language, reader, topic) and print it.

One self-contained HTML file (CSS and script inline, relative links), so it works offline from
file://. The full list needs no JavaScript; a small script adds the filters. Sorted and free of
timestamps: the same entries always give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from babel import Locale
from markupsafe import Markup

from .files import write_atomically
from .model import AUDIENCES
from .readability import FORMULAS
from .render import environment, is_rtl
from .translation import babel_locale_name, known_language, native_name

KIND_HEADINGS = {"handout": "Handouts", "bilingual": "Bilingual handouts", "packet": "Packets"}
# Translation status as (lead in bold, rest): "**Draft**: not reviewed by a qualified medical translator".
STATUS_LABELS = {
    "source": ("English original", ""),
    "reviewed": ("Reviewed", " by a qualified medical translator"),
    "draft": ("Draft", ": not reviewed by a qualified medical translator"),
}
UNKNOWN_STATUS = ("Review not recorded", ": treat as a draft")


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    native: str  # the name in its own script: العربية
    english: str

    @property
    def direction(self) -> str:
        return "rtl" if is_rtl(self.code) else "ltr"


@dataclass(frozen=True, slots=True)
class ReadingLevel:
    score: str  # "OSMAN 88.3", "Not measured"
    target: str  # "target 80 or higher: met"; or why there is no score


@dataclass(frozen=True, slots=True)
class Row:
    """One PDF as the page shows it."""

    href: str
    language: Language
    audience: str
    topic: str
    title: str
    english_title: str | None  # the English handout's title, beside a translation
    status: str  # "source", "draft", "reviewed" or anything else (shown as not reviewed)
    reading_level: ReadingLevel
    pages: int | None

    @property
    def status_label(self) -> tuple[str, str]:
        return STATUS_LABELS.get(self.status, UNKNOWN_STATUS)

    @property
    def status_class(self) -> str:
        return self.status if self.status in ("source", "reviewed") else "draft"

    @property
    def search_text(self) -> str:
        parts = (self.title, self.english_title or "", self.topic, self.audience, self.language.native, self.language.english, self.href)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class LanguageGroup:
    language: Language
    rows: list[Row]


@dataclass(frozen=True, slots=True)
class Section:
    kind: str
    heading: str
    groups: list[LanguageGroup]


def write_catalog(output: Path, entries: list[dict], templates: Path) -> Path:
    """Write output/index.html listing every built PDF described by entries (see build.summary)."""
    target = output / "index.html"
    write_atomically(target, render_catalog(entries, templates))
    return target


def render_catalog(entries: list[dict], templates: Path) -> str:
    rows_by_kind: dict[str, list[Row]] = {}
    languages = {code: language_of(code) for code in {entry["lang"] for entry in entries}}
    english_titles = {(e["audience"], e.get("topic")): e["title"] for e in entries if e["lang"] == "en" and e["kind"] == "handout"}
    for entry in entries:
        rows_by_kind.setdefault(entry["kind"], []).append(row_of(entry, languages[entry["lang"]], english_titles))
    sections = [section_of(kind, rows_by_kind[kind]) for kind in sorted(rows_by_kind, key=kind_order)]
    template = environment(templates).get_template("catalog.html")
    return template.render(
        sections=sections,
        total=len(entries),
        languages=sorted(languages.values(), key=lambda language: language.english),
        audiences=sorted({entry["audience"] for entry in entries}, key=audience_order),
        topics=sorted({entry["topic"] for entry in entries if entry.get("topic")}),
        css=Markup((templates / "catalog.css").read_text(encoding="utf-8")),
        script=Markup((templates / "catalog.js").read_text(encoding="utf-8")),
    )


def language_of(code: str) -> Language:
    return Language(code, native_name(code), english_name(code))


def english_name(code: str) -> str:
    """The language's name in English: Arabic, Chinese (Simplified), Portuguese (Brazil)."""
    if code == "tl":
        return "Tagalog"  # CLDR folds tl into Filipino
    if not known_language(code):
        return code
    return Locale.parse(babel_locale_name(code)).get_display_name("en") or code


def row_of(entry: dict, language: Language, english_titles: dict) -> Row:
    topic = entry.get("topic") or ""
    return Row(
        href=quote(entry["name"]),
        language=language,
        audience=entry["audience"],
        topic=topic,
        title=entry["title"],
        english_title=None if entry["lang"] == "en" else english_titles.get((entry["audience"], entry.get("topic"))),
        status=entry.get("status", ""),
        reading_level=reading_level(entry.get("report")),
        pages=entry.get("pages"),
    )


def reading_level(report: dict | None) -> ReadingLevel:
    """The score with its formula, its target and whether it is met, in words a front desk can read."""
    if report is None:
        return ReadingLevel("No reading-level report", "")
    if report["score"] is None:
        return ReadingLevel("Not measured", f"no validated formula for this language; {report['per_sentence']:g} {report['length_unit']} per sentence")
    score = f"{report['formula']} {report['score']:.1f}"
    if report["gate"] is None:
        return ReadingLevel(score, "no target on this scale")
    formula = FORMULAS.get(report["lang"])
    bound = "or lower" if formula is None or formula.higher_is_harder else "or higher"
    return ReadingLevel(score, f"target {report['gate']:g} {bound}: {'met' if report['passed'] else 'not met'}")


def section_of(kind: str, rows: list[Row]) -> Section:
    by_language: dict[str, list[Row]] = {}
    for row in rows:
        by_language.setdefault(row.language.code, []).append(row)
    groups = [LanguageGroup(group[0].language, sorted(group, key=row_order)) for group in by_language.values()]
    return Section(kind, KIND_HEADINGS.get(kind, kind.capitalize()), sorted(groups, key=lambda group: group.language.english))


def kind_order(kind: str) -> tuple[int, str]:
    known = list(KIND_HEADINGS)
    return (known.index(kind) if kind in known else len(known), kind)


def audience_order(audience: str) -> tuple[int, str]:
    return (AUDIENCES.index(audience) if audience in AUDIENCES else len(AUDIENCES), audience)


def row_order(row: Row) -> tuple:
    return (audience_order(row.audience), row.topic, row.href)
