"""Stage 4: Jinja2 renders a translated handout to HTML (plus the page CSS for its language).

Content and translations are data: autoescaped, with **bold** and {placeholders} as the only
markup. CSS lives in templates/handout.css, never inside autoescaped template text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup, escape

from . import fonts
from .model import Handout
from .problems import Problem, error
from .settings import Settings, babel_locale, temperature

RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
# Looks up a template string: (context, English) -> translation, or None when it cannot be printed.
UiLookup = Callable[[str, str], "str | None"]


@dataclass(frozen=True, slots=True)
class Page:
    html: str
    css: str  # @page rules: paper size and the translated page footer
    text: str  # every character the page prints (for font subsetting)
    title: str


def environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    env.filters["inline"] = inline_filter
    env.filters["plain"] = plain
    env.filters["hosts"] = hosts
    return env


def hosts(sources) -> list[str]:
    """The web sites of the sources, each once, in order: 'cancer.org', 'lls.org'."""
    names = [(urlsplit(source.url).hostname or source.url).removeprefix("www.").rstrip(".") for source in sources]
    return list(dict.fromkeys(names))


# Left-to-right runs (Latin words, numbers, phone numbers) inside right-to-left text are wrapped
# in Unicode isolates (LRI ... PDI) so the bidi algorithm cannot reorder their parts.
LTR_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+\-./:°%]*(?:[ \u00a0()]+[A-Za-z0-9+(°][A-Za-z0-9+\-./:°%)]*)*")
LRI, PDI = "\u2066", "\u2069"


def isolate(text: str) -> str:
    """Escape text, isolating each left-to-right run."""
    out, last = [], 0
    for match in LTR_RUN.finditer(text):
        out += [str(escape(text[last : match.start()])), LRI + str(escape(match.group(0))) + PDI]
        last = match.end()
    return "".join(out) + str(escape(text[last:]))


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0] in RTL_LANGUAGES


# Korean is written with spaces between words, but Pango breaks lines between any two
# syllables (and WeasyPrint ignores word-break: keep-all), so the syllables of each Korean word
# are joined with WORD JOINER (a span per word did the same but halved the rendering speed).
HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]{2,}")
WORD_JOINER = "\u2060"


def fill(text: str, values: dict[str, str], lang: str = "en") -> Markup:
    """Escape text and put the escaped values in place of {name}.

    Right-to-left text gets its left-to-right runs isolated; Korean words are kept unbroken.
    """
    rtl = is_rtl(lang)
    out = []
    for part in re.split(r"(\{[a-z_]+\})", text):
        name = part[1:-1] if part.startswith("{") and part.endswith("}") else None
        if name in values:
            value = str(escape(values[name]))
            out.append(LRI + value + PDI if rtl else value)
        else:
            out.append(isolate(part) if rtl else str(escape(part)))
    filled = "".join(out)
    if lang == "ko":
        filled = HANGUL_WORD.sub(lambda m: WORD_JOINER.join(m.group(0)), filled)
    return Markup(filled)


@pass_context
def inline_filter(context, text: str, values: dict[str, str], lang: str | None = None) -> Markup:
    return inline(text, values, lang or context.get("lang", "en"))


def inline(text: str, values: dict[str, str], lang: str = "en") -> Markup:
    """fill() with **bold**: the text is split at the markers, so tags always nest."""
    parts = [str(fill(part, values, lang)) for part in text.split("**")]
    return Markup("".join(f"<strong>{part}</strong>" if number % 2 else part for number, part in enumerate(parts)))


def plain(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\{([a-z_]+)\}", lambda m: values.get(m.group(1), m.group(0)), text.replace("**", ""))


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


class Ui:
    """The t() function of the templates; remembers strings it could not translate."""

    def __init__(self, lookup: UiLookup, lang: str = "en"):
        self.lookup = lookup
        self.lang = lang
        self.missing = False

    def text(self, context: str, message: str) -> str:
        found = self.lookup(context, message)
        if found is None:
            self.missing = True
            return message
        return found

    def __call__(self, context: str, message: str, **values: str) -> Markup:
        return fill(self.text(context, message), values, self.lang)


class PageContext:
    """What every page template gets for one language: t(), placeholder values, pictures, dates."""

    def __init__(self, lang: str, settings: Settings, lookup: UiLookup, draft: bool, images: Path):
        self.lang, self.settings, self.draft, self.images = lang, settings, draft, images
        self.locale = babel_locale(lang, settings.country)
        self.rtl = is_rtl(lang)
        self.ui = Ui(lookup, lang)
        self.values = placeholder_values(settings, self.locale, self.ui)
        self.problems: list[Problem] = []

    def figure_maker(self, handout: Handout):
        def figure(block) -> Markup:
            svg = load_svg(self.images / block.image, handout, self.problems)
            labels = [escape(svg_text(plain(label.value, self.values), self.rtl)) for label in block.many("labels")]
            svg = fill_labels(svg, labels, fonts.css_families(self.lang), self.rtl)
            if svg is None:
                message = f"picture '{block.image}' has label places that do not match the block's labels"
                self.problems.append(error(handout.path, block.line, message, "render.labels"))
                return Markup("")
            alt = escape(block.one("alt").value)
            return Markup(svg.replace("<svg ", '<svg role="img" ', 1).replace(">", f"><title>{alt}</title>", 1))

        return figure

    def variables(self, handouts: list[Handout]) -> dict:
        dates = {h.topic: (self.date(h.reviewed), self.date(h.next_review)) for h in handouts}
        return {
            "lang": self.lang,
            "direction": "rtl" if self.rtl else "ltr",
            "values": self.values,
            "english_values": placeholder_values(self.settings, babel_locale("en", self.settings.country), Ui(lambda context, message: message)),
            "draft": self.draft,
            "t": self.ui,
            "attr": self.ui.text,
            "figure": self.figure_maker(handouts[0]),
            "dates": dates,
        }

    def date(self, day) -> str:
        return format_date(day, format="long", locale=self.locale)

    def page(self, html: str, title: str) -> tuple[Page | None, list[Problem]]:
        css = page_css(self.settings, self.ui, self.draft, self.rtl)
        if self.ui.missing or self.problems:
            return None, self.problems
        printed = re.sub(r"<[^>]+>", "", html) + css
        return Page(html, css, printed, title), self.problems


def render(env: Environment, handout: Handout, settings: Settings, lookup: UiLookup, draft: bool, images: Path) -> tuple[Page | None, list[Problem]]:
    """HTML and page CSS for one handout, or None when a template string is untranslated."""
    page = PageContext(handout.lang, settings, lookup, draft, images)
    html = env.get_template("handout.html").render(handout=handout, **page.variables([handout]))
    return page.page(html, plain(handout.title.value, page.values))


BILINGUAL_LAYOUTS = ("alternating", "side-by-side")


def render_bilingual(
    env: Environment, english: Handout, translated: Handout, settings: Settings, lookup: UiLookup, draft: bool, images: Path, layout: str
) -> tuple[Page | None, list[Problem]]:
    """One page with the translation and the English, block by block, each part in its own language."""
    page = PageContext(translated.lang, settings, lookup, draft, images)
    english_ui = Ui(lambda context, message: message, "en")
    pairs = list(zip(translated.blocks, english.blocks, strict=True))
    html = env.get_template("bilingual.html").render(
        handout=translated,
        english=english,
        pairs=pairs,
        layout=layout,
        t_en=english_ui,
        english_name=english_name(translated.lang, page.locale),
        **page.variables([translated]),
    )
    title = f"{plain(translated.title.value, page.values)} / {plain(english.title.value, page.values)}"
    return page.page(html, title)


def render_packet(
    env: Environment, handouts: list[Handout], settings: Settings, lookup: UiLookup, draft: bool, images: Path
) -> tuple[Page | None, list[Problem]]:
    """Every topic for one reader in one language, with a table of contents (bookmarks come from the headings)."""
    page = PageContext(handouts[0].lang, settings, lookup, draft, images)
    html = env.get_template("packet.html").render(handouts=handouts, audience=handouts[0].audience, **page.variables(handouts))
    return page.page(html, plain(page.ui.text("packet", "All handouts"), page.values))


def english_name(lang: str, locale) -> str:
    """'English' in the language of the page: inglés, 英语, الإنجليزية."""
    from babel import Locale

    return Locale.parse(locale).languages.get("en", "English")


def svg_text(text: str, rtl: bool) -> str:
    """Text as WeasyPrint 70 must get it inside a picture: it draws SVG text one character at a
    time, with no shaping and no bidi, so right-to-left text is given already joined
    (presentation forms) and in visual order."""
    if not rtl:
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text))


# A place for label N in a picture: <text data-label="N" ...></text>, filled from the block's labels.
LABEL_PLACE = re.compile(r'<text\b([^>]*?)\sdata-label="(\d+)"([^>]*)>.*?</text>', re.DOTALL)


def fill_labels(svg: str, labels: list[Markup], families: str, rtl: bool) -> str | None:
    """Put the (translated, escaped) labels into the picture's label places; None if they do not match.

    A picture whose drawing is in <g data-mirror-rtl="yes"> is drawn right to left for
    right-to-left languages: the group is mirrored and each label moves to the mirrored x
    (its text is not mirrored).
    """
    places = LABEL_PLACE.findall(svg)
    if sorted(int(number) for _, number, _ in places) != list(range(1, len(labels) + 1)):
        return None
    width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1)) if 'viewBox="' in svg else 0.0
    mirror = rtl and '<g data-mirror-rtl="yes"' in svg and width > 0

    def put(match: re.Match) -> str:
        before, number, after = match.groups()
        attributes = before + after
        if mirror:
            attributes = re.sub(r'\sx="([\d.]+)"', lambda m: f' x="{width - float(m.group(1)):g}"', attributes)
        return f'<text{attributes} font-family="{escape(families)}">{labels[int(number) - 1]}</text>'

    svg = LABEL_PLACE.sub(put, svg)
    if mirror:
        svg = svg.replace('<g data-mirror-rtl="yes"', f'<g data-mirror-rtl="yes" transform="matrix(-1 0 0 1 {width:g} 0)"', 1)
    return svg


def placeholder_values(settings: Settings, locale, ui: Ui) -> dict[str, str]:
    temp = temperature(settings.fever_celsius, locale, settings.country)
    if settings.fever_minutes:
        fever = plain(ui.text("fever rule", "{temperature} or higher for {minutes} minutes"), {"temperature": temp, "minutes": str(settings.fever_minutes)})
    else:
        fever = plain(ui.text("fever rule", "{temperature} or higher"), {"temperature": temp})
    return {"clinic": settings.clinic_name, "day_phone": settings.day_phone, "night_phone": settings.night_phone, "fever": fever, "temperature": temp}


def load_svg(path: Path, handout: Handout, problems: list[Problem]) -> str:
    try:
        svg = path.read_text(encoding="utf-8")
    except OSError:
        problems.append(error(handout.path, 0, f"picture '{path.name}' not found in templates/images/", "render.image"))
        return "<svg></svg>"
    if not svg.lstrip().startswith("<svg") or re.search(r"<(script|image|title|foreignObject)\b|href=|url\(", svg):
        problems.append(error(handout.path, 0, f"picture '{path.name}' must be a plain inline SVG (no scripts, links, images or titles)", "render.image"))
        return "<svg></svg>"
    return svg.strip()


def page_css(settings: Settings, ui: Ui, draft: bool, rtl: bool) -> str:
    """Paper size and the footer of every page: page numbers, and the draft notice if any."""
    parts = re.split(r"(\{pages?\})", ui.text("page footer", "Page {page} of {pages}"))
    numbers = " ".join(f"counter({part[1:-1]})" if part in ("{page}", "{pages}") else css_string(part) for part in parts if part)
    start, end = ("right", "left") if rtl else ("left", "right")
    rules = [f"size: {settings.paper};", f"@bottom-{end} {{ content: {numbers}; font-size: 16pt; color: #111111; }}"]
    if draft:
        notice = ui.text("page footer", "Draft translation, not yet reviewed")
        rules.append(f"@bottom-{start} {{ content: {css_string(notice)}; font-size: 16pt; font-weight: bold; color: #111111; }}")
    return "@page { " + " ".join(rules) + " }"
