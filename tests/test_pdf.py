"""Stages 4-5 end to end: the PDFs themselves, checked by structure (never by bytes)."""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from conftest import REPO, copy_project
from pypdf import PdfReader
from weasyprint import HTML

from careprint.build import Options, Project, Selection, build, page_jobs
from careprint.content import load_content
from careprint.pdf import ParsedHTML, Renderer, SafeFetcher, html_document
from careprint.translation import languages, load_language

LANGS = ["en", *languages(REPO / "locales")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("project"))
    result = build(Project(root), Selection(LANGS), root / "clinic.yaml", options=Options(workers=os.cpu_count() or 1, kinds=("handouts",)))
    assert [str(p) for p in result.problems] == []
    assert len(result.written) == len(LANGS) * 3 * 10
    assert not result.skipped
    return root


def pdfs(root: Path) -> list[Path]:
    return sorted((root / "build").rglob("*.pdf"))


def struct_elements(node, found: list) -> list:
    if isinstance(node, pikepdf.Array):
        for kid in node:
            struct_elements(kid, found)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        found.append(node)
        if "/K" in node:
            struct_elements(node.K, found)
    return found


def test_output_paths(built):
    names = {str(p.relative_to(built / "build")) for p in pdfs(built)}
    assert "es/child/fever.pdf" in names and "en/caregiver/what-is-all.pdf" in names


def test_tagged_pdf_ua_with_language_and_displayed_title(built):
    content, _ = load_content(built)
    for path in pdfs(built):
        lang, audience, topic = path.relative_to(built / "build").with_suffix("").parts
        with pikepdf.open(path) as pdf:
            assert pdf.Root.MarkInfo.Marked is True
            assert str(pdf.Root.Lang) == lang
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            assert "pdfuaid" in str(pdf.open_metadata())
            title = str(pdf.docinfo["/Title"])
            assert title.strip()
            if lang == "en":
                handout = next(t for t in content.topics if t.slug == topic).handouts[audience]
                assert title == handout.title.value


def test_qpdf_finds_no_damage(built):
    for path in pdfs(built):
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_fonts_are_embedded_subsets_with_unicode_maps(built):
    for path in pdfs(built):
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows
        for row in rows:
            emb, sub, uni = row.split()[-5:-2]
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_figures_have_alt_text_and_structure_is_real(built):
    content, _ = load_content(built)
    for path in pdfs(built):
        lang, audience, topic = path.relative_to(built / "build").with_suffix("").parts
        handout = next(t for t in content.topics if t.slug == topic).handouts[audience]
        with pikepdf.open(path) as pdf:
            elements = struct_elements(pdf.Root.StructTreeRoot.K, [])
        kinds = Counter(str(e.S) for e in elements)
        assert kinds["/H1"] == 1 and kinds["/H2"] >= 2, path
        lists = [b for b in handout.blocks if b.kind in ("list", "questions", "call_now")]
        items = sum(len(b.many("items")) for b in lists)
        # WeasyPrint tags each page's piece of a list (and of a split item) separately
        assert kinds["/L"] >= len(lists) and kinds["/LI"] >= items, (path, kinds)
        figures = [e for e in elements if str(e.S) == "/Figure"]
        assert figures or "/child/" not in str(path), path
        assert all(str(f.get("/Alt", "")).strip() for f in figures), path
        headings = [int(str(e.S)[2]) for e in elements if str(e.S) in ("/H1", "/H2", "/H3")]
        assert headings[0] == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False))


def test_text_extracts_in_reading_order(built):
    content, _ = load_content(built)
    handout = next(t for t in content.topics if t.slug == "fever").handouts["adult"]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(built / "build/en/adult/fever.pdf").pages)
    markers = [
        handout.title.value,
        "During treatment, a fever can be the only sign",
        "Keep a digital thermometer",
        "Antibiotics should start quickly",
        "How to reach us",
        "Sources:",
    ]
    positions = [text.find(m) for m in markers]
    assert -1 not in positions, list(zip(markers, positions, strict=True))
    assert positions == sorted(positions)
    assert "100.4 °F (38.0 °C) or higher" in text


def test_spanish_text_is_spanish_and_marked_draft(built):
    text = " ".join(page.extract_text() for page in PdfReader(built / "build/es/caregiver/fever.pdf").pages)
    assert "Traducción en borrador" in text
    assert "Call us right away" not in text and "How to reach us" not in text
    assert "Página 1 de" in text


def test_print_sizes(built):
    """Nothing under 16 pt; the body text (the most common size on page 1) is >= 18 pt (children >= 20 pt).

    Page 1 is measured for the body because the sources at the end (16 pt) can outweigh a short text.
    """
    for path in pdfs(built):
        sizes: Counter = Counter()
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                sizes.update(round(char["size"], 1) for char in page.chars if char["text"].strip())
            first = Counter(round(char["size"], 1) for char in pdf.pages[0].chars if char["text"].strip())
        body = first.most_common(1)[0][0]
        assert min(sizes) >= 16, (path, min(sizes))
        assert body >= (20 if "/child/" in str(path) else 18), (path, body)


@pytest.mark.weasyprint_warnings_expected
def test_weasyprint_warnings_are_problems(tmp_path):
    renderer = Renderer(Path(__file__).resolve().parents[1] / "templates", [])
    html = '<html lang="en"><head><title>x</title></head><body><p style="colour: red">Hi</p><img src="file:///etc/passwd" alt="x"></body></html>'
    problems, _ = renderer.write(html, "", tmp_path / "x.pdf", "x.pdf")
    assert problems and all(p.code == "pdf.weasyprint" for p in problems)
    assert any("refused" in p.message or "passwd" in p.message for p in problems)
    assert not (tmp_path / "x.pdf").exists()


def extracted(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_translated_titles_extract_from_every_language(built):
    content, _ = load_content(built)
    for lang in LANGS[1:]:
        if lang == "ar":
            continue  # right-to-left: checked word by word below
        language, _ = load_language(built / "locales", lang, built)
        for topic in content.topics:
            for audience, handout in topic.handouts.items():
                title = language.domains[topic.slug][(handout.title.context, handout.title.value)].string
                text = extracted(built / "build" / lang / audience / f"{topic.slug}.pdf")
                if lang == "zh-Hans":  # lines break between any two characters: compare without spaces
                    title, text = re.sub(r"\s", "", title), re.sub(r"\s", "", text)
                assert " ".join(title.split()) in text, (lang, audience, topic.slug, title)


ARABIC = re.compile(r"[\u0600-\u06ff]+")


def test_arabic_extracts_in_logical_order(built):
    """Runs of Arabic words come out of the PDF in reading order, as the translator wrote them."""
    language, _ = load_language(built / "locales", "ar", built)
    written = [" ".join(ARABIC.findall(e.string)) for entries in language.domains.values() for e in entries.values()]
    found = reversed_found = total = 0
    for path in sorted((built / "build" / "ar").rglob("*.pdf")):
        for page in PdfReader(path).pages:
            for line in page.extract_text().splitlines():
                for run in re.split(r"[^\u0600-\u06ff\s،؟]+", line):
                    words = ARABIC.findall(run)
                    if len(words) < 3:
                        continue
                    total += 1
                    found += any(" ".join(words) in w for w in written)
                    reversed_found += any(" ".join(reversed(words)) in w for w in written)
    assert total > 500
    assert found / total > 0.8, (found, total)
    assert reversed_found / total < 0.02


def test_arabic_is_laid_out_right_to_left(built):
    with pdfplumber.open(built / "build" / "ar" / "adult" / "fever.pdf") as pdf:
        page = pdf.pages[0]
        words = [w for w in page.extract_words() if ARABIC.search(w["text"])]
        right_edge = max(w["x1"] for w in words)
        assert right_edge > page.width * 0.85  # text starts at the right margin
        lines = Counter(round(w["x1"]) for w in words)
        assert lines.most_common(1)[0][0] > page.width * 0.8  # and most lines are flush right


def test_pages_parse_to_the_tree_weasyprint_would_build(tmp_path):
    """The renderer parses pages with expat (fast); the tree must be the one WeasyPrint's HTML5 parser builds."""
    root = copy_project(tmp_path)
    jobs = page_jobs(Project(root), Selection(["en", "ar", "zh-Hans"]), root / "clinic.yaml")
    assert {job.name.split("/")[0] for job in jobs} == {"en", "ar", "zh-Hans", "bilingual", "packets"}
    for job in jobs:
        ours = html_document(job.html, str(root / "templates") + "/", SafeFetcher([]))
        assert isinstance(ours, ParsedHTML), job.name
        weasyprints = HTML(string=job.html)
        assert tree_of(ours.etree_element) == tree_of(weasyprints.etree_element), job.name


def tree_of(element, depth: int = 0, found: list | None = None) -> list:
    found = [] if found is None else found
    found.append((depth, element.tag, sorted(element.attrib.items()), element.text, element.tail))
    for child in element:
        tree_of(child, depth + 1, found)
    return found


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>T</title></head><body><p>One<p>Two</body></html>",
        "<div><p>One</p><p>Two</p></div>",
    ],
    ids=["not-xml", "no-head-or-body"],
)
def test_other_pages_are_parsed_by_weasyprint(page):
    document = html_document(page, "/", SafeFetcher([]))
    assert not isinstance(document, ParsedHTML)
    assert [p.text for p in document.etree_element.iter("p")] == ["One", "Two"]
