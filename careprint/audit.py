"""The audit: what actually landed in each built PDF, read back from the file.

Print size (smallest text, share of text >= 18 pt), contrast (text >= 7:1 against what is
drawn behind it, lines and borders >= 3:1 against the page), the structure a screen reader
follows (headings in order, lists as lists, figures with alt text, drawings tagged or marked
as artifacts, /Lang on the document and on text in another language), and the page count.
Problems are reported as path:page: LEVEL: message [code].
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2

from .problems import Problem, error

SMALLEST_PT = 16.0
LARGE_PT = 18.0
TEXT_CONTRAST = 7.0
GRAPHICS_CONTRAST = 3.0
MAX_PAGES = {"handout": 4, "bilingual": 8, "packet": None}  # a handout: two sheets printed on both sides
RENDER_DPI = 72  # enough to see the colour behind a word of 16 pt or more
THIN_PT = 6.0  # a filled shape this thin is a line or a border (graphics), not a background
PAINT_OPERATORS = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh"}
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


@dataclass
class FileAudit:
    shown: str
    pages: int = 0
    smallest: float | None = None  # pt
    large_share: float = 0.0  # share of characters >= 18 pt
    languages: list[str] = field(default_factory=list)  # every /Lang in the file
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        smallest = "no text" if self.smallest is None else f"smallest {self.smallest:.1f} pt"
        verdict = "ok" if not self.problems else f"{len(self.problems)} problem(s)"
        languages = ", ".join(self.languages) or "none"
        return f"{self.shown}: {self.pages} page(s), {smallest}, {self.large_share:.0%} of text >= {LARGE_PT:g} pt, /Lang {languages}: {verdict}"


def find_pdfs(paths: list[Path]) -> list[Path]:
    """The PDFs named, and those under the folders named, sorted."""
    found = []
    for path in paths:
        found += sorted(path.rglob("*.pdf")) if path.is_dir() else [path]
    return found


def sample(paths: list[Path], count: int | None) -> list[Path]:
    """count files spread evenly over the sorted list (every language and reader gets some)."""
    if not count or count >= len(paths):
        return paths
    step = len(paths) / count
    return [paths[int(number * step)] for number in range(count)]


def audit_all(paths: list[Path], output: Path, workers: int) -> Iterator[FileAudit]:
    """Audit files (in a pool of processes when workers > 1), in the order given."""
    jobs = [(path, shown_name(path, output)) for path in paths]
    if workers <= 1 or len(jobs) < 2:
        yield from (audit_named(job) for job in jobs)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from pool.map(audit_named, jobs, chunksize=4)


def audit_named(job: tuple[Path, str]) -> FileAudit:
    path, shown = job
    return audit_file(path, shown, kind_of(shown))


def shown_name(path: Path, output: Path) -> str:
    """build/en/adult/fever.pdf for a file of the build; the path as given otherwise."""
    try:
        return str(Path(output.name) / path.resolve().relative_to(output.resolve()))
    except ValueError:
        return str(path)


def kind_of(name: str) -> str:
    """handout, bilingual or packet, from the path (build/bilingual/..., build/packets/...)."""
    parts = Path(name).parts
    return "bilingual" if "bilingual" in parts else "packet" if "packets" in parts else "handout"


def audit_file(path: Path, shown: str, kind: str = "handout") -> FileAudit:
    report = FileAudit(shown)
    try:
        with pikepdf.open(path) as pdf:
            report.pages = len(pdf.pages)
            mcid_langs = check_structure(pdf, report)
            check_marked_content(pdf, report)
        with pdfplumber.open(path) as pdf:
            check_text(pdf, path, report, mcid_langs)
            check_graphics(pdf, report)
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        report.problems.append(error(shown, 0, f"cannot read the PDF: {exc}", "audit.unreadable"))
        return report
    limit = MAX_PAGES[kind]
    if limit is not None and report.pages > limit:
        message = f"{report.pages} pages: a {kind} must fit on {limit} ({limit // 2} sheets printed on both sides)"
        report.problems.append(error(shown, report.pages, message, "audit.pages"))
    return report


# ---- structure ---------------------------------------------------------------------------


def check_structure(pdf: pikepdf.Pdf, report: FileAudit) -> dict[tuple[int, int], str]:
    """Tags, headings, lists, figures and languages; returns the language of each marked-content id."""
    shown = report.shown
    document_lang = str(pdf.Root.get("/Lang", "")).strip()
    if not document_lang:
        report.problems.append(error(shown, 1, "the document has no /Lang: screen readers cannot pick a voice", "audit.lang"))
    if "/StructTreeRoot" not in pdf.Root or not pdf.Root.get("/MarkInfo", {}).get("/Marked", False):
        report.problems.append(error(shown, 1, "the PDF is not tagged (no structure tree)", "audit.untagged"))
        return {}
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    elements: list[tuple[pikepdf.Dictionary, str, int]] = []  # (element, language, page number)
    mcid_langs: dict[tuple[int, int], str] = {}
    walk(pdf.Root.StructTreeRoot.K, document_lang, 1, pages, elements, mcid_langs)
    report.languages = sorted({document_lang, *(str(e.Lang) for e, _, _ in elements if "/Lang" in e)} - {""})
    check_headings(elements, report)
    check_lists(elements, report)
    check_figures(elements, report)
    return mcid_langs


def walk(node, lang: str, page: int, pages: dict, found: list, mcid_langs: dict) -> None:
    if isinstance(node, pikepdf.Array):
        for kid in node:
            walk(kid, lang, page, pages, found, mcid_langs)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        lang = str(node.Lang) if "/Lang" in node else lang
        if "/Pg" in node:
            page = pages.get(node.Pg.objgen, page - 1) + 1
        found.append((node, lang, page))
        if "/K" in node:
            walk(node.K, lang, page, pages, found, mcid_langs)
    elif isinstance(node, int):
        mcid_langs[(page, int(node))] = lang


def check_headings(elements: list, report: FileAudit) -> None:
    levels = [(int(str(e.S)[2]), page) for e, _, page in elements if re.fullmatch(r"/H[1-6]", str(e.S))]
    if not levels:
        report.problems.append(error(report.shown, 1, "no headings: a screen reader cannot move through the handout", "audit.headings"))
        return
    if levels[0][0] != 1:
        report.problems.append(error(report.shown, levels[0][1], f"the first heading is H{levels[0][0]}, not H1", "audit.heading-order"))
    for (before, _), (level, page) in zip(levels, levels[1:], strict=False):
        if level > before + 1:
            report.problems.append(error(report.shown, page, f"heading level skipped: H{before} then H{level}", "audit.heading-order"))


def check_lists(elements: list, report: FileAudit) -> None:
    for element, _, page in elements:
        kind = str(element.S)
        kids = [str(kid.S) for kid in children(element)]
        if kind == "/L" and "/LI" not in kids:
            report.problems.append(error(report.shown, page, "a list (/L) without list items (/LI)", "audit.list"))
        if kind == "/LI" and str(element.get("/P", {}).get("/S", "")) != "/L":
            report.problems.append(error(report.shown, page, "a list item (/LI) outside a list (/L)", "audit.list"))


def check_figures(elements: list, report: FileAudit) -> None:
    for element, _, page in elements:
        if str(element.S) == "/Figure" and not str(element.get("/Alt", "")).strip():
            report.problems.append(error(report.shown, page, "a figure without alt text", "audit.alt"))


def children(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K", [])
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def check_marked_content(pdf: pikepdf.Pdf, report: FileAudit) -> None:
    """Every drawing and every piece of text belongs to the structure or is marked as an artifact."""
    for number, page in enumerate(pdf.pages, 1):
        open_tags: list[str] = []
        loose = Counter()
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                open_tags.append(str(operands[0]))
            elif name == "EMC" and open_tags:
                open_tags.pop()
            elif not open_tags and name in PAINT_OPERATORS:
                loose["drawing"] += 1
            elif not open_tags and name in TEXT_OPERATORS:
                loose["text"] += 1
        for what, count in sorted(loose.items()):
            message = f"{count} {what} operation(s) neither tagged nor marked as an artifact (decorative art must be an artifact)"
            report.problems.append(error(report.shown, number, message, "audit.artifact"))


# ---- text: size, contrast, language -------------------------------------------------------


def check_text(pdf, path: Path, report: FileAudit, mcid_langs: dict) -> None:
    sizes: Counter = Counter()
    with pypdfium2.PdfDocument(path) as document:
        for number, page in enumerate(pdf.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            sizes.update(round(c["size"], 1) for c in chars)
            check_small_text(chars, number, report)
            image = document[number - 1].render(scale=RENDER_DPI / 72).to_pil().convert("RGB")
            check_contrast(chars, image, image.width / float(page.width), number, report)
            check_languages(chars, number, mcid_langs, report)
    total = sum(sizes.values())
    if total:
        report.smallest = min(sizes)
        report.large_share = sum(n for size, n in sizes.items() if size >= LARGE_PT) / total


def check_small_text(chars: list[dict], page: int, report: FileAudit) -> None:
    small = [c for c in chars if c["size"] < SMALLEST_PT - 0.05]
    if small:
        sample = "".join(c["text"] for c in small[:30])
        message = f"{len(small)} character(s) under {SMALLEST_PT:g} pt (smallest {min(c['size'] for c in small):.1f} pt): '{sample}'"
        report.problems.append(error(report.shown, page, message, "audit.size"))


def check_contrast(chars: list[dict], image, scale: float, page: int, report: FileAudit) -> None:
    """Each word's colour against the colour most often seen behind it on the rendered page."""
    worst: dict[tuple, tuple[float, str]] = {}
    for word in words_by_colour(chars):
        colour = rgb(word["colour"])
        if colour is None:
            continue
        box = (int(word["x0"] * scale), int(word["top"] * scale), int(word["x1"] * scale) + 1, int(word["bottom"] * scale) + 1)
        background = most_common_colour(image.crop(box))
        ratio = contrast(colour, background)
        key = (hex_colour(colour), hex_colour(background))
        if ratio < TEXT_CONTRAST and (key not in worst or ratio < worst[key][0]):
            worst[key] = (ratio, word["text"])
    for (text_colour, background), (ratio, sample) in sorted(worst.items()):
        message = f"text {text_colour} on {background} has contrast {ratio:.1f}:1 (needs {TEXT_CONTRAST:g}:1): '{sample[:40]}'"
        report.problems.append(error(report.shown, page, message, "audit.contrast"))


def words_by_colour(chars: list[dict]) -> list[dict]:
    """Runs of characters on one line in one colour (a word or a few), with their box."""
    runs: list[dict] = []
    for char in chars:
        colour = tuple(char.get("non_stroking_color") or (0,))
        last = runs[-1] if runs else None
        if last and last["colour"] == colour and abs(last["top"] - char["top"]) < 2 and char["x0"] - last["x1"] < char["size"]:
            last.update(x1=max(last["x1"], char["x1"]), bottom=max(last["bottom"], char["bottom"]), text=last["text"] + char["text"])
        else:
            runs.append({"colour": colour, "x0": char["x0"], "x1": char["x1"], "top": char["top"], "bottom": char["bottom"], "text": char["text"]})
    return runs


def check_languages(chars: list[dict], page: int, mcid_langs: dict, report: FileAudit) -> None:
    """Text in another script than its element's language says is text missing its own /Lang."""
    wrong: Counter = Counter()
    for char in chars:
        script = script_of(char["text"])
        lang = mcid_langs.get((page, char.get("mcid"))) if char.get("mcid") is not None else None
        if script and lang and script not in SCRIPTS_OF.get(lang.split("-")[0], {"latin"}):
            wrong[(lang, script)] += 1
    for (lang, script), count in sorted(wrong.items()):
        message = f"{count} {script} character(s) inside text tagged /Lang '{lang}': another language's text needs its own lang"
        report.problems.append(error(report.shown, page, message, "audit.lang-span"))


SCRIPTS_OF = {
    "en": {"latin"},
    "es": {"latin"},
    "fr": {"latin"},
    "pt": {"latin"},
    "vi": {"latin"},
    "tl": {"latin"},
    "ht": {"latin"},
    "ar": {"arabic"},
    "ru": {"cyrillic"},
    "zh": {"han"},
    "ko": {"hangul", "han"},
}


def script_of(text: str) -> str | None:
    """The script of a glyph's text (a ligature can be several characters)."""
    code = ord(text[0])
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
        return "han"
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    return None  # Latin letters, digits and punctuation are shared by many languages


# ---- graphics -----------------------------------------------------------------------------


def check_graphics(pdf, report: FileAudit) -> None:
    """Lines, outlines and borders >= 3:1 against the white page (large fills are backgrounds)."""
    for number, page in enumerate(pdf.pages, 1):
        weak: dict[str, float] = {}
        for shape in page.curves + page.lines + page.rects:
            for colour in graphic_colours(shape):
                ratio = contrast(colour, (255, 255, 255))
                if ratio < GRAPHICS_CONTRAST:
                    weak[hex_colour(colour)] = ratio
        for colour, ratio in sorted(weak.items()):
            message = f"a line or border in {colour} has contrast {ratio:.1f}:1 against the page (needs {GRAPHICS_CONTRAST:g}:1)"
            report.problems.append(error(report.shown, number, message, "audit.graphics-contrast"))


def graphic_colours(shape: dict) -> list[tuple[int, int, int]]:
    """The colours of a shape that draw lines: its outline, or the whole shape when it is thin.

    Wider strokes and larger fills are areas (skin, clothes, box backgrounds): their edges are
    drawn by outlines, and text on them is checked against them.
    """
    found = []
    if shape.get("stroke") and 0 < (shape.get("linewidth") or 1) <= THIN_PT:
        found.append(rgb(shape.get("stroking_color")))
    thin = min(shape["width"], shape["height"]) <= THIN_PT
    if shape.get("fill") and thin and not shape.get("stroke"):
        found.append(rgb(shape.get("non_stroking_color")))
    return [colour for colour in found if colour is not None]


# ---- colour -------------------------------------------------------------------------------


def rgb(colour) -> tuple[int, int, int] | None:
    """A PDF colour (grey, RGB or CMYK, 0-1) as 0-255 RGB; None for patterns."""
    if colour is None:
        return None
    values = list(colour) if isinstance(colour, (tuple, list)) else [colour]
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return None
    if len(values) == 1:
        values = values * 3
    elif len(values) == 4:
        c, m, y, k = values
        values = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    elif len(values) != 3:
        return None
    return tuple(round(255 * min(max(v, 0.0), 1.0)) for v in values)


def most_common_colour(image) -> tuple[int, int, int]:
    colours = image.getcolors(maxcolors=image.width * image.height + 1) or [(1, (255, 255, 255))]
    return max(colours)[1]


def luminance(colour: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    """WCAG contrast ratio, 1 to 21."""
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def hex_colour(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)
