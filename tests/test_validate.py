"""generate.py validate: every catalog problem a translator can make, named by file and line."""

from __future__ import annotations

import re

import pytest
from test_translation import PO, edit, entry_line

from careprint.cli import main
from careprint.translation import numbers
from careprint.validate import Term


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ('msgstr "Sí This is a short test paragraph."', 'msgstr "Sí This is a short test paragraph 2."', "translation.numbers"),
        ('msgstr "Sí This is a short test paragraph."', 'msgstr "Sí This is a \u202eshort test paragraph."', "translation.invisible-char"),
        ('msgstr "Sí This is a short test paragraph."', 'msgstr "Sí This is a short\u200b test paragraph."', "translation.invisible-char"),
        ('msgstr "Sí This is a short test paragraph."', 'msgstr "Sí **This is a short test paragraph."', "translation.markup"),
        ('msgstr "Sí This is a short test paragraph."', 'msgstr "Sí <script>x</script>"', "translation.markup"),
        ('msgstr "Sí This is a short test paragraph."', 'msgstr "Sí {fever} paragraph."', "translation.placeholder"),
    ],
)
def test_broken_entry_is_named_by_line(spanish, capsys, old, new, code):
    edit(spanish / PO, old, new)
    assert main(["--project", str(spanish), "validate"]) == 1
    err = capsys.readouterr().err
    line = entry_line(spanish / PO, "This is a short test paragraph.")
    assert re.search(rf"^{re.escape(PO)}:{line}: ERROR: .*\[{re.escape(code)}\]$", err, re.MULTILINE), err


def test_wrong_plural_header(spanish, capsys):
    edit(spanish / PO, "Plural-Forms: nplurals=2; plural=(n != 1);", "Plural-Forms: nplurals=1; plural=0;")
    assert main(["--project", str(spanish), "validate"]) == 1
    assert f"{PO}:1: ERROR: Plural-Forms header is 'nplurals=1; plural=0;'" in capsys.readouterr().err


def test_glossary_is_enforced_and_shown_to_translators(spanish, capsys):
    (spanish / "locales" / "es" / "glossary.yaml").write_text("paragraph: [párrafo]\n")
    assert main(["--project", str(spanish), "validate"]) == 1
    err = capsys.readouterr().err
    assert "glossary: 'paragraph' should be translated as párrafo [translation.glossary]" in err
    main(["--project", str(spanish), "update"])
    assert "#. Glossary: paragraph = párrafo." in (spanish / PO).read_text()


def test_clean_catalogs_validate(spanish, capsys):
    assert main(["--project", str(spanish), "validate"]) == 0
    assert "all catalogs valid" in capsys.readouterr().err


def test_numbers_ignore_separators_and_scripts():
    assert numbers("Call 1-800-227-2345 at 38.0 or 50,000") == numbers("Llame al 1-800-227-2345 a 38,0 o 50 000")
    assert numbers("٣٨") == numbers("38")
    assert numbers("2 or 3") != numbers("2 o 4")


def test_glossary_terms_match_plurals_and_stems_not_placeholders():
    term = Term("fever", ("fiebre*",))
    assert term.in_english("Fevers happen.") and not term.in_english("Call at {fever}.")
    assert term.in_translation("las fiebres") and not term.in_translation("calentura")
