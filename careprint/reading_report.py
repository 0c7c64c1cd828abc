"""build/readability.html: each handout's reading level against its gate, for writers.

Written after every build (a no-op build too) from the manifest's summaries (see build.summary),
so it must stay cheap: one Jinja render, charts drawn here as inline SVG, no PDF or font code.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from markupsafe import Markup, escape

from .files import write_atomically
from .readability import FORMULAS, WORD
from .render import environment, is_rtl

AUDIENCES = ("child", "adult", "caregiver")
# English names of the languages we ship; Babel's CLDR lookup takes ~0.2 s, too slow for a page
# written after every build. Another language shows its tag.
LANGUAGE_NAMES = {
    "ar": "Arabic",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "ht": "Haitian Creole",
    "ko": "Korean",
    "pt-BR": "Brazilian Portuguese",
    "ru": "Russian",
    "tl": "Tagalog",
    "vi": "Vietnamese",
    "zh-Hans": "Chinese (Simplified)",
}
# How the page words each verdict; a failure says "over gate" or "under gate" (Scale.failing).
RESULTS = {"pass": "✓ meets gate", "not gated": "not gated", "not measured": "not measured"}


@dataclass(frozen=True, slots=True)
class Scale:
    """What a language's numbers mean: its formula's score, or sentence length where it has none."""

    label: str
    higher_is_harder: bool
    measured: bool

    @property
    def direction(self) -> str:
        return "lower is easier" if self.higher_is_harder else "higher is easier"

    def gate_text(self, gate: float) -> str:
        return f"at most {gate:g}" if self.higher_is_harder else f"at least {gate:g}"

    @property
    def failing(self) -> str:
        return "✗ over gate" if self.higher_is_harder else "✗ under gate"


@dataclass(frozen=True, slots=True)
class HandoutView:
    anchor: str
    topic: str
    audience: str
    lang: str
    dir: str
    title: str
    path: str  # the file to fix
    source: str  # the file the sentence lines point into (the English YAML, for translations too)
    verdict: str  # pass, fail, not gated, not measured
    result: str  # the verdict as the page words it
    gate: float | None
    gate_text: str
    value: float  # what the chart draws: the score, or the sentence length where not measured
    shown: str  # value as the chart and the table print it
    per_sentence: float
    sentences: int
    others: dict[str, float]
    hardest: list[dict]
    text: Markup  # its sentences by block (built here: Jinja loops over ~12,000 sentences would cost ~0.1 s a build)


@dataclass(frozen=True, slots=True)
class AudienceView:
    audience: str
    chart: Markup
    handouts: list[HandoutView]


@dataclass(frozen=True, slots=True)
class LanguageView:
    lang: str
    name: str
    formula: str
    source: str  # the formula's published source, or "" where not measured
    scale: Scale
    unit: str
    gates: dict[str, float]
    counts: Counter
    audiences: list[AudienceView]
    handouts: list[HandoutView]


def write_readability_report(output: Path, entries: list[dict], templates: Path) -> Path:
    """Write output/readability.html from the entries of the build (see build.summary)."""
    languages = language_views(entries)
    page = (
        environment(templates)
        .get_template("readability.html")
        .render(
            languages=languages,
            counts=sum((language.counts for language in languages), Counter()),
            css=(templates / "readability.css").read_text(encoding="utf-8"),
        )
    )
    target = output / "readability.html"
    write_atomically(target, page)
    return target


# ---- from entries to views ---------------------------------------------------------


def language_views(entries: list[dict]) -> list[LanguageView]:
    """One view per language (English first), from the handouts that carry a reading-level report."""
    scored = [e for e in entries if e.get("kind") == "handout" and e.get("report") is not None]
    by_lang: dict[str, list[dict]] = {}
    for entry in scored:
        by_lang.setdefault(entry["lang"], []).append(entry)
    return [language_view(lang, by_lang[lang]) for lang in sorted(by_lang, key=lambda lang: (lang != "en", lang))]


def language_view(lang: str, entries: list[dict]) -> LanguageView:
    formula = FORMULAS.get(lang)
    unit = entries[0]["report"]["length_unit"]
    scale = Scale(formula.name, formula.higher_is_harder, True) if formula else Scale(f"{unit} per sentence", True, False)
    handouts = sorted((handout_view(entry, scale) for entry in entries), key=lambda h: (audience_order(h.audience), h.topic))
    groups = [(audience, list(group)) for audience, group in groupby(handouts, key=lambda h: h.audience)]
    audiences = [AudienceView(audience, chart(lang, audience, scale, group), group) for audience, group in groups]
    return LanguageView(
        lang=lang,
        name=LANGUAGE_NAMES.get(lang, lang),
        formula=formula.name if formula else "not measured",
        source=formula.source if formula else "",
        scale=scale,
        unit=unit,
        gates=dict(formula.gates or {}) if formula else {},
        counts=Counter(h.verdict for h in handouts),
        audiences=audiences,
        handouts=handouts,
    )


def audience_order(audience: str) -> tuple[int, str]:
    return (AUDIENCES.index(audience) if audience in AUDIENCES else len(AUDIENCES), audience)


def handout_view(entry: dict, scale: Scale) -> HandoutView:
    report = entry["report"]
    longest = report["longest_sentences"]
    source = longest[0]["path"] if longest else report["path"]
    value = report["score"] if scale.measured else report["per_sentence"]
    decided = verdict(report)
    return HandoutView(
        anchor=f"{entry['lang']}-{entry['audience']}-{entry['topic']}",
        topic=entry["topic"],
        audience=entry["audience"],
        lang=entry["lang"],
        dir="rtl" if is_rtl(entry["lang"]) else "ltr",
        title=entry["title"],
        path=report["path"],
        source=source,
        verdict=decided,
        result=RESULTS.get(decided, scale.failing),
        gate=report["gate"],
        gate_text=scale.gate_text(report["gate"]) if report["gate"] is not None else "none",
        value=value,
        shown=f"{value:.2f}" if scale.measured else f"{value:.1f}",
        per_sentence=report["per_sentence"],
        sentences=report["sentences"],
        others=report["others"],
        hardest=report["hardest_words"],
        text=sentences_html(report, source, entry["lang"]),
    )


def verdict(report: dict) -> str:
    if report["score"] is None:
        return "not measured"
    if report["gate"] is None:
        return "not gated"
    return "pass" if report["passed"] else "fail"


def sentences_html(report: dict, source: str, lang: str) -> Markup:
    """The handout's sentences in reading order: a heading and a list per block, the longest marked, hard words marked."""
    ranks = {(s["text"], s["line"]): rank for rank, s in enumerate(report["longest_sentences"], start=1)}
    hard = HardWords([w["word"] for w in report["hardest_words"]])
    scores = {b["id"]: f", score {b['score']:.2f}" for b in report["blocks"]}
    unit = report["length_unit"]
    opening = f'<ol class="sentences" lang="{html.escape(lang)}" dir="{"rtl" if is_rtl(lang) else "ltr"}">\n'
    parts = []
    for block_id, group in groupby(report["all_sentences"], key=lambda s: s["block"]):
        parts += [f"<h4>Block <code>{html.escape(block_id)}</code>{scores.get(block_id, '')}</h4>\n", opening]
        parts += [sentence_item(s, ranks.get((s["text"], s["line"]), 0), hard, f"{source}:{s['line']}", unit) for s in group]
        parts.append("</ol>\n")
    return Markup("".join(parts))


class HardWords:
    """Marks a handout's hardest words (whole words, any case) in <mark class="hard">, escaping the rest.

    A substring test first: most sentences hold none, and tokenizing every sentence of every
    handout would cost ~40 ms of each build.
    """

    def __init__(self, words: list[str]):
        self.words = set(words)

    def marked(self, text: str) -> str:
        lowered = text.lower()
        if not any(word in lowered for word in self.words):
            return html.escape(text)
        parts, last = [], 0
        for match in WORD.finditer(text):
            if match[0].lower() in self.words:
                parts += [html.escape(text[last : match.start()]), '<mark class="hard">', html.escape(match[0]), "</mark>"]
                last = match.end()
        parts.append(html.escape(text[last:]))
        return "".join(parts)


def sentence_item(sentence: dict, rank: int, hard: HardWords, where: str, unit: str) -> str:
    """One sentence as an <li>: the longest in <mark> with a visible label and path:line, others with length and line."""
    text = hard.marked(sentence["text"])
    length = f"{sentence['length']} {unit}"
    if rank:
        label = f"Long sentence {rank}: {length}, {html.escape(where)}"
        return f'<li class="long"><mark class="long">{text}</mark> <strong class="flag" lang="en" dir="ltr">{label}</strong></li>\n'
    return f'<li>{text} <span class="meta" lang="en" dir="ltr">{length}, line {sentence["line"]}</span></li>\n'


# ---- charts --------------------------------------------------------------------------

LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 180, 380, 160
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
TOP, ROW, BAR, BOTTOM = 44, 34, 22, 70
PASS_FILL, FAIL_FILL, PLAIN_FILL, INK, GRID = "#1f4e79", "#8b0000", "#4a4a4a", "#1a1a1a", "#bdbdbd"


def chart(lang: str, audience: str, scale: Scale, handouts: list[HandoutView]) -> Markup:
    """A horizontal bar per topic, the gate as a dashed line, failing bars striped and marked in words."""
    chart_id = escape(f"chart-{lang}-{audience}")
    gate = handouts[0].gate
    low, high, step = axis([h.value for h in handouts] + ([gate] if gate is not None else []))

    def x(value: float) -> float:
        return round(LABEL_WIDTH + (value - low) / (high - low) * BAR_WIDTH, 1)

    bottom = TOP + ROW * len(handouts)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {bottom + BOTTOM}"'
        f' width="{WIDTH}" height="{bottom + BOTTOM}" xmlns="http://www.w3.org/2000/svg" font-size="16" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(chart_title(lang, audience, scale))}</title>',
        f'<desc id="{chart_id}-desc">{escape(chart_description(scale, gate, handouts))}</desc>',
        f'<defs><pattern id="{chart_id}-stripes" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="{FAIL_FILL}"/><rect width="3" height="8" fill="#ffffff"/></pattern></defs>',
    ]
    parts += axis_marks(x, low, high, step, bottom, scale)
    parts += [bar(x, row, TOP + ROW * index, scale, chart_id) for index, row in enumerate(handouts)]
    if gate is not None:
        parts.append(
            f'<line x1="{x(gate)}" y1="{TOP - 10}" x2="{x(gate)}" y2="{bottom}" stroke="{INK}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{x(gate)}" y="{TOP - 16}" text-anchor="middle" font-weight="bold">gate: {scale.gate_text(gate)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def chart_title(lang: str, audience: str, scale: Scale) -> str:
    name = LANGUAGE_NAMES.get(lang, lang)
    if not scale.measured:
        return f"{name}, {audience} handouts: {scale.label} per topic (not measured: no validated readability formula)"
    return f"{name}, {audience} handouts: {scale.label} per topic ({scale.direction})"


def chart_description(scale: Scale, gate: float | None, handouts: list[HandoutView]) -> str:
    values = "; ".join(f"{h.topic} {h.shown}" + (f" ({scale.failing})" if h.verdict == "fail" else "") for h in handouts)
    if gate is None:
        return f"No gate. {values}."
    failing = sum(h.verdict == "fail" for h in handouts)
    return f"Gate: {scale.gate_text(gate)}. {len(handouts) - failing} of {len(handouts)} meet it. {values}."


def bar(x: Callable[[float], float], handout: HandoutView, top: float, scale: Scale, chart_id: str) -> str:
    fill = {"pass": PASS_FILL, "fail": f"url(#{chart_id}-stripes)"}.get(handout.verdict, PLAIN_FILL)
    start, end = sorted((x(0), x(handout.value)))
    middle = top + ROW / 2 + 5
    mark = f' <tspan font-weight="bold">{scale.failing}</tspan>' if handout.verdict == "fail" else ""
    return (
        f'<text x="{LABEL_WIDTH - 10}" y="{middle}" text-anchor="end">{escape(handout.topic)}</text>'
        f'<rect x="{start}" y="{top + (ROW - BAR) / 2}" width="{round(end - start, 1)}" height="{BAR}" fill="{fill}" stroke="{INK}" stroke-width="1"/>'
        f'<text x="{LABEL_WIDTH + BAR_WIDTH + 10}" y="{middle}">{handout.shown}{mark}</text>'
    )


def axis(values: list[float]) -> tuple[float, float, float]:
    """Round ends and steps (at most 9) that include 0 and every value, with a step to spare at the top (a gate never sits on the edge)."""
    low, high = min(0.0, *values), max(1.0, *values)
    step = next((s for s in (0.5, 1, 2, 5, 10, 20, 25, 50, 100) if (high - low) / s <= 8), (high - low) / 8)
    return math.floor(low / step) * step, (math.floor(high / step) + 1) * step, step


def axis_marks(x: Callable[[float], float], low: float, high: float, step: float, bottom: float, scale: Scale) -> list[str]:
    ticks = [low + step * i for i in range(round((high - low) / step) + 1)]
    marks = [
        f'<line x1="{x(t)}" y1="{TOP - 4}" x2="{x(t)}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>'
        f'<text x="{x(t)}" y="{bottom + 22}" text-anchor="middle">{t:g}</text>'
        for t in ticks
    ]
    axis_label = f"{scale.label} ({scale.direction})" if scale.measured else f"{scale.label} (not a reading-level score)"
    marks.append(f'<line x1="{x(low)}" y1="{bottom}" x2="{x(high)}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>')
    marks.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH / 2}" y="{bottom + 52}" text-anchor="middle" font-weight="bold">{escape(axis_label)}</text>')
    return marks
