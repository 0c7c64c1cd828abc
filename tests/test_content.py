"""Stage 1: the content loader accepts the real content and names every bad input by file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from careprint.content import load_content
from careprint.model import AUDIENCES

BAD = sorted((Path(__file__).parent / "bad_content").glob("*.yaml"))


def test_real_content_loads_without_problems():
    content, problems = load_content(REPO)
    assert [str(p) for p in problems if p.level == "ERROR"] == []
    assert len(content.topics) == 10
    for topic in content.topics:
        assert set(topic.handouts) == set(AUDIENCES), topic.slug


def test_every_handout_has_sources_dates_and_child_picture():
    content, _ = load_content(REPO)
    for handout in content.handouts():
        assert handout.sources, handout.topic
        assert 365 <= (handout.next_review - handout.reviewed).days <= 3 * 366
        if handout.audience == "child":
            figures = [b for b in handout.blocks if b.kind == "figure"]
            assert figures and all(b.one("alt").value.strip() for b in figures), handout.topic


def test_tiny_project_is_valid(tiny):
    content, problems = load_content(tiny)
    assert problems == []
    assert [t.slug for t in content.topics] == ["sample"]


@pytest.mark.parametrize("case", BAD, ids=[p.stem for p in BAD])
def test_bad_content_gives_its_error(tiny, case):
    code, line = re.match(r"# expect: (\S+) line (\d+)", case.read_text()).groups()
    shutil.copy(case, tiny / "handouts" / case.name)
    content, problems = load_content(tiny)
    mine = [p for p in problems if p.path == f"handouts/{case.name}"]
    assert mine, "no problem reported"
    assert (mine[0].code, mine[0].line) == (code, int(line)), [str(p) for p in mine]
    assert str(mine[0]).startswith(f"handouts/{case.name}:{line}: ERROR: ")
    # the broken topic is left out; the good one is unaffected
    assert [t.slug for t in content.topics] == ["sample"]


def test_all_problems_reported_in_one_run(tiny):
    for case in BAD:
        shutil.copy(case, tiny / "handouts" / case.name)
    _, problems = load_content(tiny)
    assert {p.path for p in problems} == {f"handouts/{case.name}" for case in BAD}


def test_shared_text_keeps_one_context_per_reader_group():
    content, _ = load_content(REPO)
    fever = next(t for t in content.topics if t.slug == "fever")
    child = fever.handouts["child"].blocks[1].one("text")
    adult = fever.handouts["adult"].blocks[1].one("text")
    assert child.context == "why-fever-matters.text:child"
    assert adult.context == "why-fever-matters.text:adult"
    assert child.line < adult.line and child.path == "handouts/fever.yaml"
