"""The real catalogs, every language: gettext's and translate-toolkit's own checkers, and ours."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from careprint.translation import languages
from careprint.validate import validate_language

LANGS = languages(REPO / "locales")
CATALOGS = sorted((REPO / "locales").glob("*/LC_MESSAGES/*.po"))
POFILTER_TESTS = ["variables", "xmltags", "numbers", "untranslated", "isfuzzy"]


def pofilter(source: Path, out: Path) -> subprocess.CompletedProcess:
    tool = shutil.which("pofilter", path=str(Path(sys.executable).parent))
    args = [tool, "--progress=none", *(f"-t{test}" for test in POFILTER_TESTS), str(source), str(out)]
    return subprocess.run(args, capture_output=True, text=True)


@pytest.mark.parametrize("catalog", CATALOGS, ids=[str(c.relative_to(REPO / "locales")) for c in CATALOGS])
def test_msgfmt_and_pofilter_are_clean(catalog, tmp_path):
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalog)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    out = tmp_path / "failures.po"
    result = pofilter(catalog, out)
    assert result.returncode == 0, result.stderr
    assert not out.exists(), out.read_text()  # pofilter writes only the units that fail


def test_pofilter_does_catch_problems(tmp_path):
    broken = tmp_path / "broken.po"
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Call 555-0100 now."\nmsgstr ""\n\n#, fuzzy\nmsgid "Two"\nmsgstr "Dos"\n'
    )
    pofilter(broken, tmp_path / "out.po")
    report = (tmp_path / "out.po").read_text()
    assert "untranslated" in report and "isfuzzy" in report


@pytest.mark.parametrize("lang", LANGS)
def test_validate_is_clean(lang):
    problems = validate_language(REPO / "locales", lang, REPO)
    assert [str(p) for p in problems if p.level == "ERROR"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_a_glossary(lang):
    assert (REPO / "locales" / lang / "glossary.yaml").exists()
