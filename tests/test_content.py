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


def test_topics_follow_the_reading_order():
    content, _ = load_content(REPO)
    slugs = [topic.slug for topic in content.topics]
    assert slugs[0] == "what-is-all" and slugs[-1] == "questions"
    assert slugs.index("signs") < slugs.index("tests") < slugs.index("treatment-phases") < slugs.index("fever")


def test_order_file_problems_are_named_by_line(tiny):
    (tiny / "handouts" / "other.yaml").write_text((tiny / "handouts" / "sample.yaml").read_text(), encoding="utf-8")
    (tiny / "handouts" / "order.yaml").write_text("# order\n- other\n- nothing-here\n- other\n", encoding="utf-8")
    content, problems = load_content(tiny)
    assert [str(p) for p in problems] == [
        "handouts/order.yaml:3: ERROR: unknown topic 'nothing-here' (no handouts/nothing-here.yaml) [content.order]",
        "handouts/order.yaml:4: ERROR: topic 'other' is listed twice [content.order]",
        "handouts/order.yaml:2: WARNING: topic 'sample' is not in the order: packets print it last [content.order-missing]",
    ]
    assert [t.slug for t in content.topics] == ["other", "sample"]


def test_order_file_must_be_a_list(tiny):
    (tiny / "handouts" / "order.yaml").write_text("sample: 1\n", encoding="utf-8")
    content, problems = load_content(tiny)
    assert [(p.line, p.code) for p in problems] == [(1, "content.order")]
    assert [t.slug for t in content.topics] == ["sample"]
