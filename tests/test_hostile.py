"""Hostile and broken input: each case gets one clear file:line problem and exit code 1, harms
nothing else, reads nothing outside the project, and never shows a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from careprint.cli import main

HOSTILE = Path(__file__).parent / "hostile"
PO_CASES = sorted((HOSTILE / "po").glob("*.po"))
CONTENT_CASES = sorted((HOSTILE / "content").glob("*.yaml"))
SECRET = "root:x:0:0"  # what /etc/passwd would put in a PDF


def expectation(path: Path) -> tuple[str, int | None]:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    code, _, line = re.match(r"# expect: (\S+)( line (\d+))?", first).groups()
    return code, int(line) if line else None


def all_text(root: Path) -> str:
    return " ".join(page.extract_text() for pdf in (root / "build").rglob("*.pdf") for page in PdfReader(pdf).pages)


@pytest.mark.parametrize("case", PO_CASES, ids=[p.stem for p in PO_CASES])
def test_hostile_translation(spanish, case, capsys):
    code, line = expectation(case)
    shutil.copy(case, spanish / "locales" / "es" / "LC_MESSAGES" / "sample.po")
    capsys.readouterr()
    assert main(["--project", str(spanish), "build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    found = re.findall(rf"^locales/es/LC_MESSAGES/sample\.po:(\d+): ERROR: .*\[{re.escape(code)}\]$", err, re.MULTILINE)
    assert found, err[-2000:]
    if line is not None:
        assert int(found[0]) == line
    # English is untouched by a broken translation
    assert sorted(p.name for p in (spanish / "build" / "en").rglob("*.pdf")) == ["sample.pdf"] * 3
    assert SECRET not in all_text(spanish)


@pytest.mark.parametrize("case", CONTENT_CASES, ids=[p.stem for p in CONTENT_CASES])
def test_hostile_content(tiny, case, capsys):
    code, line = expectation(case)
    shutil.copy(case, tiny / "handouts" / case.name)
    assert main(["--project", str(tiny), "build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    found = re.findall(rf"^handouts/{re.escape(case.name)}:(\d+): ERROR: .*\[{re.escape(code)}\]$", err, re.MULTILINE)
    assert found, err[-2000:]
    if line is not None:
        assert int(found[0]) == line
    assert len(list((tiny / "build").rglob("sample.pdf"))) == 3  # the good topic is still built
    assert not list((tiny / "build").rglob(f"{case.stem}.pdf"))
    assert SECRET not in all_text(tiny)


def test_unknown_language_code(spanish, capsys):
    shutil.copytree(spanish / "locales" / "es", spanish / "locales" / "xx-bogus")
    assert main(["--project", str(spanish), "build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "locales/xx-bogus: ERROR: 'xx-bogus' is not a language code" in err and "[translation.language]" in err
    assert len(list((spanish / "build" / "es").rglob("*.pdf"))) == 3


def test_missing_font(spanish, capsys, monkeypatch):
    from careprint import fonts

    gone = fonts.Face("Atkinson Hyperlegible", Path("/nonexistent/Atkinson-Regular.ttf"), Path("/nonexistent/Atkinson-Bold.ttf"))
    monkeypatch.setitem(fonts.LANGUAGE_FACES, "es", (gone,))
    assert main(["--project", str(spanish), "build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "/nonexistent/Atkinson-Regular.ttf: ERROR: font file not found, so 'es' cannot be printed" in err
    assert not list((spanish / "build" / "es").rglob("*.pdf"))
    assert len(list((spanish / "build" / "en").rglob("*.pdf"))) == 3


@pytest.mark.weasyprint_warnings_expected
def test_resources_outside_the_project_are_refused(tmp_path):
    from careprint.pdf import Renderer

    templates = Path(__file__).resolve().parents[1] / "templates"
    renderer = Renderer(templates, [])
    for url in ("file:///etc/passwd", f"file://{templates}/../pyproject.toml", "https://example.org/x.png"):
        html = f'<html lang="en"><head><title>x</title></head><body><img src="{url}" alt="x"><p>Hi</p></body></html>'
        problems, _ = renderer.write(html, "", tmp_path / "x.pdf", "x.pdf")
        assert any("refused" in p.message for p in problems), (url, problems)
        assert not (tmp_path / "x.pdf").exists()
