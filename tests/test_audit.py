"""The audit reads PDFs back: it passes a good handout and fails each planted fault with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML

from careprint.audit import audit_file, contrast, find_pdfs, kind_of, sample
from careprint.cli import main
from careprint.pdf import tag_languages

GOOD_BODY = """
<h1>Fever</h1>
<p>Call us for a fever.</p>
<h2>What to do</h2>
<ul><li>Take your temperature.</li><li>Call the clinic.</li></ul>
<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="200" height="100" role="img"><title>A thermometer.</title>
<rect x="2" y="2" width="96" height="46" fill="#fff5e6" stroke="#1a1a1a" stroke-width="2"/></svg></figure>
"""
STYLE = "<style>body { font-size: 18pt; color: #111111; } h1 { font-size: 28pt; } h2 { font-size: 22pt; }</style>"


def make_pdf(tmp_path: Path, body: str, name: str = "handout.pdf", lang: str = "en") -> Path:
    """A PDF made as the build makes them (WeasyPrint with the project's language tagging)."""
    tag_languages()
    html = f'<html lang="{lang}"><head><title>Fever</title>{STYLE}</head><body>{body}</body></html>'
    target = tmp_path / name
    HTML(string=html).write_pdf(target, pdf_variant="pdf/ua-1")
    return target


def codes(path: Path, kind: str = "handout") -> list[str]:
    return sorted({p.code for p in audit_file(path, path.name, kind).problems})


def test_a_good_handout_passes_and_is_summarised(tmp_path):
    report = audit_file(make_pdf(tmp_path, GOOD_BODY), "handout.pdf")
    assert report.problems == []
    assert report.pages == 1 and report.smallest == 18.0 and report.large_share == 1.0 and report.languages == ["en"]
    assert report.summary() == "handout.pdf: 1 page(s), smallest 18.0 pt, 100% of text >= 18 pt, /Lang en: ok"


def test_a_12_pt_paragraph_fails(tmp_path):
    path = make_pdf(tmp_path, GOOD_BODY + '<p style="font-size: 12pt">Small print nobody can read.</p>')
    report = audit_file(path, "small.pdf")
    assert codes(path) == ["audit.size"]
    assert "under 16 pt (smallest 12.0 pt)" in report.problems[0].message and "Small" in report.problems[0].message
    assert str(report.problems[0]).startswith("small.pdf:1: ERROR:")


def test_grey_text_on_white_fails(tmp_path):
    path = make_pdf(tmp_path, GOOD_BODY + '<p style="color: #999999">Pale grey words.</p>')
    problems = audit_file(path, "grey.pdf").problems
    assert [p.code for p in problems] == ["audit.contrast"]
    assert "#999999 on #ffffff has contrast 2.8:1" in problems[0].message


def test_dark_text_on_a_dark_box_fails_but_white_on_it_passes(tmp_path):
    dark = make_pdf(tmp_path, GOOD_BODY + '<p style="background: #0b2f57; color: #333333">Hidden words.</p>', "dark.pdf")
    light = make_pdf(tmp_path, GOOD_BODY + '<p style="background: #0b2f57; color: #ffffff">Clear words.</p>', "light.pdf")
    assert codes(dark) == ["audit.contrast"]
    assert codes(light) == []


def test_a_figure_without_alt_text_fails(tmp_path):
    body = GOOD_BODY.replace("<title>A thermometer.</title>", "")
    assert codes(make_pdf(tmp_path, body)) == ["audit.alt"]


def test_a_skipped_heading_level_fails(tmp_path):
    path = make_pdf(tmp_path, GOOD_BODY + "<h4>Details</h4><p>More.</p>")
    problems = audit_file(path, "skip.pdf").problems
    assert [p.code for p in problems] == ["audit.heading-order"]
    assert "H2 then H4" in problems[0].message


def test_a_pale_line_fails_as_graphics(tmp_path):
    body = GOOD_BODY.replace('stroke="#1a1a1a"', 'stroke="#dddddd"')
    assert codes(make_pdf(tmp_path, body)) == ["audit.graphics-contrast"]


def test_a_handout_over_four_pages_fails_but_a_packet_may_be_long(tmp_path):
    path = make_pdf(tmp_path, GOOD_BODY + '<p style="break-before: page">More.</p>' * 4)
    assert codes(path) == ["audit.pages"]
    assert codes(path, "packet") == []
    assert kind_of("build/packets/en/adult.pdf") == "packet" and kind_of("build/bilingual/es/child/fever.pdf") == "bilingual"


def test_text_in_another_script_needs_its_own_language(tmp_path):
    untagged = make_pdf(tmp_path, GOOD_BODY + "<p>الحمى خطيرة</p>", "untagged.pdf")
    tagged = make_pdf(tmp_path, GOOD_BODY + '<p lang="ar" dir="rtl">الحمى خطيرة</p>', "tagged.pdf")
    assert codes(untagged) == ["audit.lang-span"]
    report = audit_file(tagged, "tagged.pdf")
    assert report.problems == [] and report.languages == ["ar", "en"]


def test_a_document_without_language_fails(tmp_path):
    path = tmp_path / "nolang.pdf"
    HTML(string=f"<html><head><title>x</title>{STYLE}</head><body>{GOOD_BODY}</body></html>").write_pdf(path)
    assert "audit.lang" in codes(path)


def test_contrast_ratio_matches_wcag():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_sample_spreads_over_the_list(tmp_path):
    paths = [tmp_path / f"{n:02}.pdf" for n in range(10)]
    assert sample(paths, 3) == [paths[0], paths[3], paths[6]]
    assert sample(paths, None) == paths and sample(paths, 20) == paths


def test_command_exit_codes(tmp_path, capsys):
    for folder in ("ok", "bad"):
        (tmp_path / folder).mkdir()
    make_pdf(tmp_path / "ok", GOOD_BODY)
    make_pdf(tmp_path / "bad", GOOD_BODY + "<h4>x</h4>")
    assert main(["--project", str(tmp_path), "audit", str(tmp_path / "ok")]) == 0
    assert main(["--project", str(tmp_path), "audit", "-j", "1", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "bad/handout.pdf:1: ERROR: heading level skipped: H2 then H4 [audit.heading-order]" in err
    assert "2 PDF(s) audited, 1 passed, 1 failed" in err
    assert main(["--project", str(tmp_path), "audit", str(tmp_path / "missing")]) == 2
    assert find_pdfs([tmp_path / "ok"]) == [tmp_path / "ok" / "handout.pdf"]
