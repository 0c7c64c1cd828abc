"""Bilingual handouts (English + one language in one PDF) and packets (every topic for one reader)."""

from __future__ import annotations

import pikepdf
from markupsafe import escape
from pypdf import PdfReader

from careprint.audit import audit_file
from careprint.build import Options, Project, Selection, build, page_jobs
from careprint.content import load_content


def build_all(root, **options):
    return build(Project(root), Selection(), root / "clinic.yaml", options=Options(**options))


def names(paths, root) -> list[str]:
    return sorted(str(p.relative_to(root / "build")) for p in paths)


def test_every_kind_is_built_once_and_a_rebuild_renders_nothing(spanish):
    first = build_all(spanish)
    assert not first.problems and not first.skipped
    built = names(first.written, spanish)
    assert [n for n in built if n.startswith("bilingual/")] == [f"bilingual/es/{a}/sample.pdf" for a in ("adult", "caregiver", "child")]
    assert [n for n in built if n.startswith("packets/")] == [f"packets/{lang}/{a}.pdf" for lang in ("en", "es") for a in ("adult", "caregiver", "child")]
    again = build_all(spanish)
    assert again.written == [] and len(again.unchanged) == len(first.written)


def test_a_bilingual_handout_tags_each_part_with_its_language(spanish):
    build_all(spanish, kinds=("bilingual",))
    path = spanish / "build" / "bilingual" / "es" / "adult" / "sample.pdf"
    report = audit_file(path, "bilingual/es/adult/sample.pdf", "bilingual")
    assert report.problems == [] and report.languages == ["en", "es"]
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "es"
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert "This is a short test paragraph." in text and "Sí This is a short test paragraph." in text
    assert text.index("Sí This is a short test paragraph.") < text.index(" This is a short test paragraph.", text.index("Sí This"))
    english_part = " ".join(text.split())
    assert "Call Example Children's Cancer Clinic at 555-0100 for a fever of 100.4 °F (38.0 °C) or higher" in english_part  # English values in English


def test_the_clinic_chooses_side_by_side(spanish):
    build_all(spanish, kinds=("bilingual",))
    settings = spanish / "clinic.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "bilingual: side-by-side\n", encoding="utf-8")
    result = build_all(spanish, kinds=("bilingual",))
    assert len(result.written) == 3  # the layout is an input of every bilingual PDF
    page = PdfReader(spanish / "build" / "bilingual" / "es" / "adult" / "sample.pdf").pages[0]
    lines = {}
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: lines.setdefault(text.strip(), tm[4]) if text.strip() else None)
    spanish_x = next(x for text, x in lines.items() if text.startswith("Sí This is a short"))
    english_x = next(x for text, x in lines.items() if text.startswith("This is a short"))
    assert english_x > spanish_x + 100  # the English part stands in the second column


def test_a_packet_has_contents_with_page_numbers_and_bookmarks(spanish):
    build_all(spanish, kinds=("packets",))
    path = spanish / "build" / "packets" / "es" / "adult.pdf"
    reader = PdfReader(path)
    first_page = reader.pages[0].extract_text()
    assert "Sí Contents" in first_page and "Sí A test title for grown-ups" in first_page
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Sí A test title for grown-ups" in titles
    assert audit_file(path, "packets/es/adult.pdf", "packet").problems == []


def test_a_topic_that_is_not_ready_leaves_its_bilingual_and_packet_out(spanish):
    po = spanish / "locales" / "es" / "LC_MESSAGES" / "sample.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Sí You are brave."', 'msgstr ""'), encoding="utf-8")
    result = build_all(spanish)
    built = names(result.written, spanish)
    assert "es/child/sample.pdf" in result.skipped
    assert "bilingual/es/child/sample.pdf" not in built and "packets/es/child.pdf" not in built
    assert "bilingual/es/adult/sample.pdf" in built and "packets/es/adult.pdf" in built


def test_a_packet_prints_the_topics_in_reading_order(project):
    jobs = page_jobs(Project(project), Selection(["en"]), project / "clinic.yaml", ("packets",))
    html = next(job.html for job in jobs if job.name == "packets/en/caregiver.pdf")
    titles = [str(escape(handout.title.value)) for handout in load_content(project)[0].handouts() if handout.audience == "caregiver"]
    assert "What is acute lymphoblastic leukemia (ALL)?" in titles[0] and "Questions" in titles[-1]
    assert [html.index(title) for title in titles] == sorted(html.index(title) for title in titles)
