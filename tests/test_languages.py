"""All languages together: one English edit goes fuzzy everywhere, and the build skips exactly those handouts."""

from __future__ import annotations

import json
import re

from babel.messages.pofile import read_po

from careprint.cli import main
from careprint.translation import languages, previous_ids


def test_one_english_change_is_fuzzy_in_every_catalog_and_skips_exactly_its_handouts(project, capsys):
    langs = languages(project / "locales")
    assert len(langs) >= 10
    yaml_path = project / "handouts" / "fever.yaml"
    old = "During treatment, a fever can be the only sign of a serious infection."
    new = "During treatment, fever can be the only sign of a serious infection."
    text = yaml_path.read_text(encoding="utf-8")
    assert old in text
    yaml_path.write_text(text.replace(old, new, 1), encoding="utf-8")

    assert main(["--project", str(project), "update"]) == 0
    for lang in langs:
        path = project / "locales" / lang / "LC_MESSAGES" / "fever.po"
        with path.open("rb") as handle:
            catalog = read_po(handle)
        changed = [m for m in catalog if m.id and m.id.startswith(new)]
        assert len(changed) == 1 and changed[0].fuzzy, lang
        previous = previous_ids(path, catalog)[(changed[0].context, changed[0].id)]
        assert previous.startswith(old), lang  # the old English, shown to the translator as #|

    capsys.readouterr()
    assert main(["--project", str(project), "status", "--json"]) == 0
    for row in json.loads(capsys.readouterr().out):
        assert row["fuzzy"] == 1, row["lang"]
        not_ready = [(h["topic"], h["audience"]) for h in row["handouts"] if not h["ready"]]
        assert not_ready == [("fever", "adult")], (row["lang"], not_ready)

    assert main(["--project", str(project), "build", "--topic", "fever", "--quiet"]) == 1
    err = capsys.readouterr().err
    skipped = sorted(line.split()[-1] for line in err.splitlines() if line.strip().startswith("skipped "))
    not_made = [f"{lang}/adult/fever.pdf" for lang in langs] + [f"bilingual/{lang}/adult/fever.pdf" for lang in langs]
    assert skipped == sorted(not_made + [f"packets/{lang}/adult.pdf" for lang in langs])  # nothing is made of a fuzzy handout
    for lang in langs:
        assert re.search(rf"^locales/{re.escape(lang)}/LC_MESSAGES/fever\.po:\d+: ERROR: fuzzy .*why-fever-matters\.text:adult", err, re.MULTILINE), lang
    built = sorted(str(p.relative_to(project / "build")) for p in (project / "build").rglob("fever.pdf"))
    single = [name for name in built if not name.startswith("bilingual/")]
    bilingual = [name for name in built if name.startswith("bilingual/")]
    assert len(single) == 3 * (len(langs) + 1) - len(langs)
    assert len(bilingual) == 2 * len(langs) and not any("/adult/" in name for name in bilingual)  # no bilingual page from a fuzzy entry
