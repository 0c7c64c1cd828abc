"""Pictures with labels from the catalogs: every label fits its place in every language, prints large
enough, and the fever picture carries the clinic's own temperature."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
import yaml
from babel.messages.pofile import read_po
from conftest import REPO
from fontTools.ttLib import TTFont

from careprint import fonts
from careprint.build import Options, Project, Selection, build
from careprint.content import load_content
from careprint.render import fill_labels, is_rtl, plain, svg_text
from careprint.settings import babel_locale, temperature
from careprint.translation import babel_locale_name, languages

IMAGES = REPO / "templates" / "images"
LABEL_PLACE = re.compile(r"<text\b([^>]*)\sdata-label=\"(\d+)\"([^>]*)></text>")
FRAME = 8  # labels keep this far from the picture's edge (inside its rounded frame)
FIGURE_WIDTH_PT = {"child": 3.6 * 72, "adult": 2.8 * 72, "caregiver": 2.8 * 72}  # templates/handout.css
SMALLEST_PT = 16


def attributes(text: str) -> dict[str, str]:
    return dict(re.findall(r'([\w-]+)="([^"]*)"', text))


def places(svg: str) -> dict[int, dict[str, str]]:
    return {int(number): attributes(before + after) for before, number, after in LABEL_PLACE.findall(svg)}


def view_width(svg: str) -> float:
    return float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))


# ---- measuring text as WeasyPrint draws it in an SVG ----------------------------------------
# WeasyPrint 70 lays out SVG text one character at a time, each in the first font of the
# language's list that has it, so a label is as wide as the sum of its characters' advances.


@cache
def metrics(path: Path, index: int) -> tuple[dict[int, str], dict, int]:
    font = TTFont(str(path), fontNumber=index, lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def advance(char: str, lang: str, bold: bool) -> float | None:
    """Width of one character in ems, or None when no font of the language has it."""
    if unicodedata.category(char) == "Cf":  # isolates, word joiners: not drawn
        return 0.0
    for face in fonts.faces_for(lang):
        cmap, hmtx, units = metrics(face.bold if bold else face.regular, face.index)
        if ord(char) in cmap:
            return hmtx[cmap[ord(char)]][0] / units
    return None


def width(text: str, lang: str, size: float, bold: bool) -> float:
    missing = [char for char in text if advance(char, lang, bold) is None]
    assert not missing, f"{lang}: no font has {missing!r} ({text!r})"
    return sum(advance(char, lang, bold) for char in text) * size


def drawn(text: str, lang: str, values: dict[str, str]) -> str:
    """The characters render puts into a label place."""
    return svg_text(plain(text, values), is_rtl(lang))


def test_width_is_the_sum_of_the_advances_in_the_language_fonts():
    assert width("", "en", 34, True) == 0
    assert width("ii", "en", 34, True) < width("WW", "en", 34, True)
    assert width("红细胞", "zh-Hans", 34, True) == pytest.approx(3 * 34)  # CJK ideographs are 1 em wide
    # Arabic is drawn joined: narrower than the same letters drawn apart
    label = "الصفائح الدموية"
    assert width(drawn(label, "ar", {}), "ar", 34, True) < 0.85 * width(label, "ar", 34, True)


# ---- the labels of every picture in every language ------------------------------------------


@cache
def catalog(lang: str, topic: str) -> dict[tuple[str, str], tuple[str, bool]]:
    path = REPO / "locales" / lang / "LC_MESSAGES" / f"{topic}.po"
    with path.open("rb") as handle:
        messages = read_po(handle, locale=babel_locale_name(lang))
    return {(m.context, m.id): (m.string, m.fuzzy) for m in messages if m.id}


def fever_temperatures(lang: str) -> list[str]:
    """Every fever setting a clinic may choose, written as the language writes it, °F first or °C first."""
    settings = [(tenths / 10, country) for tenths in range(375, 396) for country in ("US", "FR")]
    return sorted({temperature(celsius, babel_locale(lang, country), country) for celsius, country in settings})


def label_cases():
    content, problems = load_content(REPO)
    assert not [p for p in problems if p.level == "ERROR"], problems
    for topic in content.topics:
        for audience, handout in topic.handouts.items():
            for block in handout.blocks:
                if block.kind == "figure" and block.many("labels"):
                    yield topic.slug, audience, block


CASES = list(label_cases())


def test_the_pictures_that_explain_have_labels():
    labelled = {(topic, block.image) for topic, _, block in CASES}
    assert {
        ("fever", "thermometer.svg"),
        ("treatment-phases", "treatment-timeline.svg"),
        ("what-is-all", "blood-cells.svg"),
        ("treatment-kinds", "central-line-port.svg"),
    } <= labelled
    for topic, _, block in CASES:
        assert len(places((IMAGES / block.image).read_text())) == len(block.many("labels")), (topic, block.image)


def test_label_places_print_at_least_16_pt():
    for _, audience, block in CASES:
        svg = (IMAGES / block.image).read_text()
        points_per_unit = FIGURE_WIDTH_PT[audience] / view_width(svg)
        for number, place in places(svg).items():
            assert float(place["font-size"]) * points_per_unit >= SMALLEST_PT, (block.image, number, audience)


@pytest.mark.parametrize("lang", ["en", *languages(REPO / "locales")])
def test_every_label_fits_its_place_in_the_picture(lang):
    """Measured with the language's own fonts; the clinic's temperature at its widest."""
    too_wide = []
    for topic, audience, block in CASES:
        svg = (IMAGES / block.image).read_text()
        room_default = f"{FRAME} {view_width(svg) - FRAME}"
        for number, label in enumerate(block.many("labels"), 1):
            text = label.value
            if lang != "en":
                text, fuzzy = catalog(lang, topic).get((label.context, label.value), ("", False))
                assert text and not fuzzy, f"{lang}/{topic}: label {label.value!r} ({label.context}) is not translated"
            place = places(svg)[number]
            low, high = (float(v) for v in place.get("data-room", room_default).split())
            x, size, bold = float(place["x"]), float(place["font-size"]), place.get("font-weight") == "bold"
            for value in fever_temperatures(lang) if "{temperature}" in text else [""]:
                characters = drawn(text, lang, {"temperature": value})
                assert not re.search(r"\{[a-z_]+\}", characters), f"{block.image}: no test value for a placeholder in {text!r}"
                w = width(characters, lang, size, bold)
                anchor = place.get("text-anchor", "start")
                left = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
                if left < low - 0.5 or left + w > high + 0.5:
                    too_wide.append(f"{block.image} label {number} ({audience}) {characters!r}: {w:.0f} units, room {high - low:.0f} ({low:g} to {high:g})")
    assert not too_wide, "\n".join(dict.fromkeys(too_wide))


def test_labels_are_filled_in_and_mirrored_in_the_real_pictures():
    svg = (IMAGES / "treatment-timeline.svg").read_text()
    filled = fill_labels(svg, [drawn(word, "ar", {}) for word in ("الحث", "التعزيز", "المداومة")], "f", True)
    assert 'transform="matrix(-1 0 0 1 400 0)"' in filled and filled.count(drawn("المداومة", "ar", {})) == 1
    mirrored_drawing = re.search(r'<g data-mirror-rtl="yes"[^>]*>(.*?)</g>\s*<text', filled, re.DOTALL).group(1)
    assert "<text" not in mirrored_drawing  # the labels stay outside the mirrored drawing


# ---- built handouts -------------------------------------------------------------------------


def picture_lines(pdf: Path, audience: str, size_units: float) -> list[str]:
    """Lines of text printed at a label's size (in picture units) on the first page, without spaces."""
    size = size_units * FIGURE_WIDTH_PT[audience] / 400
    with pdfplumber.open(pdf) as document:
        chars = [c for c in document.pages[0].chars if abs(c["size"] - size) < 0.2]
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        if lines and char["top"] - lines[-1][0]["top"] < 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    return ["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])) for line in lines]


def test_the_fever_picture_prints_the_clinic_temperature(project):
    settings = project / "clinic.yaml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    data["fever"]["celsius"] = 38.3
    data["clinic"]["country"] = "FR"
    settings.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = build(Project(project), Selection(["fr"], ["child"], ["fever"]), settings, options=Options(kinds=("handouts",)))
    assert not [p for p in result.problems if p.level == "ERROR"], result.problems
    size = float(places((IMAGES / "thermometer.svg").read_text())[1]["font-size"])
    lines = picture_lines(project / "build" / "fr" / "child" / "fever.pdf", "child", size)
    expected = temperature(38.3, babel_locale("fr", "FR"), "FR")
    assert expected == "38,3\u00a0°C (100,9\u00a0°F)"
    assert lines == [re.sub(r"\s", "", expected)]  # the picture's text, spaces aside (they are not drawn)


def test_arabic_labels_print_joined_and_right_to_left(project):
    """WeasyPrint draws SVG text a character at a time: the label must arrive joined and in visual order."""
    result = build(Project(project), Selection(["ar"], ["child"], ["what-is-all"]), project / "clinic.yaml", options=Options(kinds=("handouts",)))
    assert not [p for p in result.problems if p.level == "ERROR"], result.problems
    lines = picture_lines(project / "build" / "ar" / "child" / "what-is-all.pdf", "child", 34)
    label = catalog("ar", "what-is-all")[("picture.labels:child", "Platelets")][0]
    # read right to left, the printed letters are the label's letters in order
    read = [unicodedata.normalize("NFKC", line[::-1]).replace(" ", "") for line in lines]
    assert read.count(label.replace(" ", "")) == 1, read
