"""Stage 3: POT extraction, update with fuzzy matching, compile, and translation safety in the build."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import REPO

from careprint.cli import main
from careprint.content import load_content
from careprint.translation import entry_state, extract, load_language, status

PO = "locales/es/LC_MESSAGES/sample.po"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def entry_line(path: Path, msgid: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line == f'msgid "{msgid}"':
            return number
    raise AssertionError(msgid)


def test_pot_has_origins_notes_context_and_flags(tiny):
    assert main(["--project", str(tiny), "extract"]) == 0
    pot = (tiny / "locales" / "sample.pot").read_text(encoding="utf-8")
    assert "#: handouts/sample.yaml:17\n" in pot
    assert "#. Reader: a child with ALL (use the familiar form of address" in pot
    assert "#. Kind: paragraph." in pot
    assert "Flesch-Kincaid grade <= 4" in pot and "INFLESZ) >= 80" in pot
    assert 'msgctxt "intro.text:child"\nmsgid "You are brave."' in pot
    ui = (tiny / "locales" / "ui.pot").read_text(encoding="utf-8")
    assert "#: templates/parts.html:" in ui and "templates/packet.html:" in ui and "#: careprint/render.py:" in ui
    assert '#, python-brace-format\nmsgctxt "call box"\nmsgid "Daytime: {day_phone}"' in ui


def test_extract_is_quiet_when_nothing_changed(tiny):
    main(["--project", str(tiny), "extract"])
    before = (tiny / "locales" / "sample.pot").stat().st_mtime_ns
    main(["--project", str(tiny), "extract"])
    assert (tiny / "locales" / "sample.pot").stat().st_mtime_ns == before


def test_msgfmt_accepts_generated_catalogs(spanish):
    for path in (spanish / "locales" / "es" / "LC_MESSAGES").glob("*.po"):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and result.stderr == "", result.stderr


def test_changed_english_becomes_fuzzy_with_previous_text(spanish, capsys):
    edit(spanish / "handouts" / "sample.yaml", "This is a short test paragraph.", "This is a changed test paragraph.")
    assert main(["--project", str(spanish), "update"]) == 0
    po = (spanish / PO).read_text(encoding="utf-8")
    assert (
        '#, fuzzy\n#| msgid "This is a short test paragraph."\n'
        'msgctxt "intro.text:adult+caregiver"\nmsgid "This is a changed test paragraph."\nmsgstr "Sí This is a short test paragraph."'
    ) in po
    capsys.readouterr()
    assert main(["--project", str(spanish), "build", "--lang", "es", "--quiet"]) == 1
    err = capsys.readouterr().err
    line = entry_line(spanish / PO, "This is a changed test paragraph.")
    assert f"{PO}:{line}: ERROR: fuzzy" in err and "[translation.fuzzy]" in err
    assert not (spanish / "build" / "es" / "adult" / "sample.pdf").exists()
    assert (spanish / "build" / "es" / "child" / "sample.pdf").exists()  # not affected


def test_a_block_deleted_then_restored_gets_its_translation_back(spanish):
    content = spanish / "handouts" / "sample.yaml"
    original = content.read_text(encoding="utf-8")
    content.write_text(original.replace("      child: You are brave.\n", ""), encoding="utf-8")
    assert main(["--project", str(spanish), "update"]) == 0
    assert '#~ msgid "You are brave."' in (spanish / PO).read_text(encoding="utf-8")
    content.write_text(original, encoding="utf-8")
    assert main(["--project", str(spanish), "update"]) == 0
    po = (spanish / PO).read_text(encoding="utf-8")
    assert 'msgctxt "intro.text:child"\nmsgid "You are brave."\nmsgstr "Sí You are brave."' in po
    assert '#| msgid "You are brave."' not in po


def test_a_fuzzy_match_in_one_language_never_reaches_another(spanish):
    """Babel puts the template's own message objects into each catalog: a guess made for one
    language once leaked into the next language's catalog (Arabic text in the Spanish file)."""
    french = spanish / "locales" / "fr" / "LC_MESSAGES"
    french.mkdir(parents=True)
    (french / "sample.po").write_text((spanish / PO).read_text(encoding="utf-8").replace("Language: es", "Language: fr"), encoding="utf-8")
    edit(spanish / PO, 'msgstr "Sí This is a short test paragraph."', 'msgstr ""')  # nothing to guess from in Spanish
    edit(spanish / "handouts" / "sample.yaml", "This is a short test paragraph.", "This is a changed test paragraph.")
    assert main(["--project", str(spanish), "update", "--lang", "es", "--lang", "fr"]) == 0
    assert '#, fuzzy\n#| msgid "This is a short test paragraph."' in (french / "sample.po").read_text(encoding="utf-8")
    spanish_po = (spanish / PO).read_text(encoding="utf-8")
    assert 'msgid "This is a changed test paragraph."\nmsgstr ""' in spanish_po and "#, fuzzy" not in spanish_po


def test_missing_translation_is_named_by_file_and_line_never_printed_in_english(spanish, capsys):
    po = spanish / PO
    edit(po, 'msgstr "Sí You are brave."', 'msgstr ""')
    assert main(["--project", str(spanish), "build", "--lang", "es", "--quiet"]) == 1
    err = capsys.readouterr().err
    line = entry_line(po, "You are brave.")
    assert f'{PO}:{line}: ERROR: untranslated: msgctxt "intro.text:child"' in err
    assert "Traceback" not in err
    assert not (spanish / "build" / "es" / "child" / "sample.pdf").exists()
    assert (spanish / "build" / "es" / "adult" / "sample.pdf").exists()


def test_deleted_entry_is_reported(spanish, capsys):
    po = spanish / PO
    text = po.read_text(encoding="utf-8")
    po.write_text(re.sub(r'msgctxt "intro.text:child"\nmsgid "You are brave."\nmsgstr ".*"\n', "", text), encoding="utf-8")
    assert main(["--project", str(spanish), "build", "--lang", "es", "--audience", "child", "--quiet"]) == 1
    assert f'{PO}: ERROR: no entry for msgctxt "intro.text:child"' in capsys.readouterr().err


def test_broken_placeholder_and_markup_are_refused(spanish, capsys):
    ui = spanish / "locales" / "es" / "LC_MESSAGES" / "ui.po"
    edit(ui, 'msgstr "Sí Daytime: {day_phone}"', 'msgstr "Sí De día: {telefono}"')
    assert main(["--project", str(spanish), "build", "--lang", "es", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "ui.po:" in err and "[translation.placeholder]" in err or "[translation.msgfmt]" in err
    assert not list((spanish / "build" / "es").rglob("*.pdf"))


def test_syntax_error_in_po_is_reported_with_line(spanish, capsys):
    po = spanish / PO
    edit(po, 'msgstr "Sí You are brave."', 'msgstr "Sí You are brave.')
    assert main(["--project", str(spanish), "build", "--lang", "es", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"{PO}:\d+: ERROR: msgfmt: ", err)


def test_review_record_removes_draft_notice_until_the_english_changes(spanish, capsys):
    from pypdf import PdfReader

    def printed() -> str:
        main(["--project", str(spanish), "build", "--lang", "es", "--audience", "adult", "--quiet"])
        return " ".join(p.extract_text() for p in PdfReader(spanish / "build" / "es" / "adult" / "sample.pdf").pages)

    draft = "Sí Draft translation, not yet reviewed"
    assert draft in printed()
    assert main(["--project", str(spanish), "build", "--lang", "es", "--final", "--quiet"]) == 1
    assert "[build.not-reviewed]" in capsys.readouterr().err
    assert main(["--project", str(spanish), "review", "--lang", "es", "--reviewer", "Ana Example, certified medical translator", "--date", "2026-11-20"]) == 0
    record = (spanish / "locales" / "es" / "review.yaml").read_text()
    assert "reviewer: Ana Example, certified medical translator" in record and "revision: " in record
    assert draft not in printed()
    assert main(["--project", str(spanish), "build", "--lang", "es", "--final", "--quiet"]) in (0, 1)
    assert "[build.not-reviewed]" not in capsys.readouterr().err
    # a change to the reviewed English makes the entry fuzzy and the language a draft again
    edit(spanish / "handouts" / "sample.yaml", "This is a short test paragraph.", "This is a changed test paragraph.")
    main(["--project", str(spanish), "update"])
    capsys.readouterr()
    assert main(["--project", str(spanish), "status", "--json"]) == 0
    import json

    row = json.loads(capsys.readouterr().out)[0]
    assert row["reviewed"] is None and row["stale_review"]["date"] == "2026-11-20" and row["fuzzy"] == 1
    ready = {(h["topic"], h["audience"]): h["ready"] for h in row["handouts"]}
    assert ready == {("sample", "child"): True, ("sample", "adult"): False, ("sample", "caregiver"): False}


def test_review_refused_while_entries_are_missing(spanish, capsys):
    edit(spanish / PO, 'msgstr "Sí You are brave."', 'msgstr ""')
    assert main(["--project", str(spanish), "review", "--lang", "es", "--reviewer", "Someone"]) == 1
    assert "[review.incomplete]" in capsys.readouterr().err
    assert not (spanish / "locales" / "es" / "review.yaml").exists()


def test_compile_writes_mo_files(spanish):
    assert main(["--project", str(spanish), "compile"]) == 0
    assert (spanish / "locales" / "es" / "LC_MESSAGES" / "sample.mo").stat().st_size > 0


def test_status_counts(spanish, capsys):
    edit(spanish / PO, 'msgstr "Sí You are brave."', 'msgstr ""')
    capsys.readouterr()
    assert main(["--project", str(spanish), "status", "--json"]) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["lang"] == "es" and rows[0]["untranslated"] == 1 and rows[0]["reviewed"] is None
    assert rows[0]["catalogs"]["sample"]["untranslated"] == 1


def test_real_spanish_catalogs_are_complete_and_valid():
    content, _ = load_content(REPO)
    templates = extract(content, REPO / "templates", REPO)
    language, problems = load_language(REPO / "locales", "es", REPO)
    assert [str(p) for p in problems if p.level == "ERROR"] == []
    counts = status(templates, language)
    assert {domain for domain in counts} == {t.slug for t in content.topics} | {"ui"}
    for domain, count in counts.items():
        assert count["fuzzy"] == count["untranslated"] == 0, (domain, count)
    assert language.review is None  # drafts: nobody has reviewed them


def test_real_spanish_uses_one_name_for_the_disease():
    language, _ = load_language(REPO / "locales", "es", REPO)
    strings = [e.string for entries in language.domains.values() for e in entries.values()]
    assert any("leucemia linfoblástica aguda (LLA)" in s for s in strings)
    assert not any("linfocítica" in s.lower() and "también" not in s.lower() and "otro nombre" not in s.lower() for s in strings)
    assert entry_state(language, "fever", "why-fever-matters.text:child", "nonexistent") == "untranslated"


def test_character_no_font_covers_fails_with_po_line(spanish, capsys):
    po = spanish / PO
    edit(po, 'msgstr "Sí You are brave."', 'msgstr "Sí You are brave ☎."')
    assert main(["--project", str(spanish), "build", "--lang", "es", "--quiet"]) == 1
    err = capsys.readouterr().err
    line = entry_line(po, "You are brave.")
    assert f"{PO}:{line}: ERROR: '☎' U+260E not covered by the fonts for 'es' (Atkinson Hyperlegible) [font.uncovered]" in err
    assert not (spanish / "build" / "es" / "child" / "sample.pdf").exists()
    assert (spanish / "build" / "es" / "adult" / "sample.pdf").exists()
