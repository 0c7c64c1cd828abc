"""Stage 4: HTML rendering: escaping, inline markup, placeholders, pictures, page CSS, colours."""

from __future__ import annotations

import re
from pathlib import Path

from babel import Locale
from conftest import REPO

from careprint.build import english
from careprint.content import load_content
from careprint.render import Ui, environment, fill, fill_labels, inline, page_css, plain, render
from careprint.settings import load_settings, temperature

VALUES = {"clinic": "A & B <Clinic>", "fever": "100.4 °F (38.0 °C) or higher"}


def test_content_is_escaped_and_bold_is_the_only_markup():
    assert str(inline("Call **now** if {fever} & <b>", VALUES)) == "Call <strong>now</strong> if 100.4 °F (38.0 °C) or higher &amp; &lt;b&gt;"
    assert str(fill("{clinic}", VALUES)) == "A &amp; B &lt;Clinic&gt;"
    assert plain("**Call** {fever}", VALUES) == "Call 100.4 °F (38.0 °C) or higher"


def test_render_fills_clinic_box_and_marks_language(tmp_path):
    content, _ = load_content(REPO)
    handout = next(t for t in content.topics if t.slug == "fever").handouts["child"]
    settings = load_settings(REPO / "clinic.yaml", "clinic.yaml")
    page, problems = render(environment(REPO / "templates"), handout, settings, english, False, REPO / "templates" / "images")
    assert problems == [] and page is not None
    html = page.html
    assert '<html lang="en" dir="ltr">' in html
    assert "<title>When you feel hot or sick</title>" in html
    alt = handout.blocks[0].one("alt").value
    assert '<svg role="img" ' in html and f"<title>{alt}</title>" in html
    assert re.search(r"<text [^>]*>100\.4\s°F \(38\.0\s°C\)</text>", html)  # the clinic's fever temperature, as a label in the picture
    assert "Example Children&#39;s Cancer Clinic" in html and "555-0199" in html
    assert 'class="reader-child"' in html and "draft-notice" not in html
    assert "size: letter;" in page.css and 'counter(page) " of " counter(pages)' in page.css


def test_untranslated_template_string_stops_the_page():
    content, _ = load_content(REPO)
    handout = next(t for t in content.topics if t.slug == "fever").handouts["adult"]
    settings = load_settings(REPO / "clinic.yaml", "clinic.yaml")
    page, _ = render(environment(REPO / "templates"), handout, settings, lambda c, m: None, True, REPO / "templates" / "images")
    assert page is None


def test_rtl_languages_get_rtl_page_furniture():
    settings = load_settings(REPO / "clinic.yaml", "clinic.yaml")
    css = page_css(settings, Ui(english), draft=True, rtl=True)
    assert '@bottom-left { content: "Page " counter(page)' in css and "@bottom-right" in css


def test_temperatures_per_locale_and_country():
    assert temperature(38.0, Locale.parse("en_US"), "US") == "100.4\u00a0°F (38.0\u00a0°C)"
    assert temperature(38.0, Locale.parse("es_US"), "US") == "100.4\u00a0°F (38.0\u00a0°C)"
    assert temperature(38.3, Locale.parse("es_ES"), "ES") == "38,3\u00a0°C (100,9\u00a0°F)"


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_text_colour_has_7_to_1_contrast_on_every_background():
    css = (REPO / "templates" / "handout.css").read_text()
    text_colours = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", css))
    backgrounds = set(re.findall(r"background:\s*(#[0-9a-fA-F]{6})", css)) | {"#ffffff"}
    assert text_colours and len(backgrounds) > 1
    for fg in text_colours:
        for bg in backgrounds:
            assert contrast(fg, bg) >= 7, (fg, bg, round(contrast(fg, bg), 2))


def test_stylesheet_follows_large_print_rules():
    css = re.sub(r"/\*.*?\*/", "", (REPO / "templates" / "handout.css").read_text(), flags=re.DOTALL)
    sizes = [float(s) for s in re.findall(r"font-size:\s*([\d.]+)pt", css)]
    assert min(sizes) >= 16
    assert "font-size: 18pt" in css and ".reader-child { font-size: 20pt; }" in css
    assert "line-height: 1.5" in css
    assert "justify" not in css and "italic" not in css.replace("font-style: normal", "")
    assert "uppercase" not in css


def test_pictures_are_plain_svg_with_empty_label_places_only():
    """Words in pictures come from the catalogs: a picture has only empty <text data-label="N"> places."""
    for svg in Path(REPO / "templates" / "images").glob("*.svg"):
        text = svg.read_text()
        assert text.startswith("<svg") and not re.search(r"<(script|image|title|style)\b|href=|url\(", text), svg.name
        for element in re.findall(r"<text\b[^>]*>.*?</text>", text, re.DOTALL):
            assert re.fullmatch(r'<text\b[^>]*\sdata-label="\d+"[^>]*></text>', element), (svg.name, element)


def test_labels_fill_the_places_in_order_escaped_in_the_language_font():
    svg = '<svg x="1"><text data-label="2" x="1"></text><text data-label="1" font-size="34"></text></svg>'
    filled = fill_labels(svg, [fill("<b>", {}), fill("{fever}", {"fever": "38 °C"})], "'Noto Sans handout'", False)
    assert filled == (
        '<svg x="1"><text x="1" font-family="&#39;Noto Sans handout&#39;">38 °C</text>'
        '<text font-size="34" font-family="&#39;Noto Sans handout&#39;">&lt;b&gt;</text></svg>'
    )
    assert fill_labels(svg, [fill("one", {})], "x", False) is None  # two places, one label


def test_a_mirrored_picture_moves_its_labels_for_right_to_left_languages():
    svg = '<svg viewBox="0 0 400 300"><g data-mirror-rtl="yes"><rect x="10"/></g><text data-label="1" x="100" text-anchor="middle"></text></svg>'
    filled = fill_labels(svg, [fill("كلمة", {}, "ar")], "f", True)
    assert '<g data-mirror-rtl="yes" transform="matrix(-1 0 0 1 400 0)">' in filled and '<text x="300" text-anchor="middle"' in filled
    assert fill_labels(svg, [fill("word", {})], "f", False).count('x="100"') == 1
