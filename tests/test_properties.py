"""Property-based tests: random text through the content loader, the translation checks and escaping."""

from __future__ import annotations

import re
import shutil

import yaml
from conftest import REPO, ROOTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careprint.content import load_content
from careprint.render import inline
from careprint.translation import translation_problems

ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT)
def test_content_loader_never_crashes(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("p")
    shutil.copytree(ROOTS / "tiny" / "handouts", root / "handouts")
    shutil.copytree(REPO / "templates" / "images", root / "templates" / "images")
    topic = yaml.safe_load((root / "handouts" / "sample.yaml").read_text())
    topic["blocks"][1]["text"]["adult+caregiver"] = text
    written = yaml.safe_dump(topic, allow_unicode=True)
    (root / "handouts" / "random.yaml").write_text(written, encoding="utf-8")
    content, problems = load_content(root)
    mine = [p for p in problems if p.path == "handouts/random.yaml"]
    loaded = [t for t in content.topics if t.slug == "random"]
    assert bool(loaded) != any(p.level == "ERROR" for p in mine)
    for problem in mine:
        assert problem.line >= 0 and problem.code.startswith("content.")
    if loaded:  # the text arrives as YAML reads it (YAML folds its own line breaks, such as U+0085)
        assert loaded[0].handouts["adult"].blocks[1].one("text").value == yaml.safe_load(written)["blocks"][1]["text"]["adult+caregiver"]


@settings(max_examples=300, deadline=None)
@given(english=ANY_TEXT, translated=ANY_TEXT)
def test_translation_checks_never_crash(english, translated):
    for message, code in translation_problems(english, translated):
        assert message and code.startswith("content.")


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT, lang=st.sampled_from(["en", "ar", "ko", "zh-Hans"]))
def test_rendered_text_carries_no_markup_but_ours(text, lang):
    html = str(inline(text, {"fever": "<b>38</b>"}, lang))
    bare = re.sub(r"</?strong>", "", html)
    assert "<" not in bare and ">" not in bare
