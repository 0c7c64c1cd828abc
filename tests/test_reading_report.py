"""build/readability.html: the writers' readability report, from hand-made entries and from a real build."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from careprint.build import Project, Selection, build
from careprint.readability import FORMULAS, BlockScore, Report, Sentence, length
from careprint.reading_report import write_readability_report

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "source", "wbr", "area", "base", "track", "embed", "param"}
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


# ---- a small strict HTML tree, so the tests read the page as a browser would --------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Elements and strings

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def iter(self, tag: str | None = None, **attrs: str):
        """This element and every element under it with that tag and attributes (class_ matches one class)."""
        if (tag is None or self.tag == tag) and all(self.has(name, value) for name, value in attrs.items()):
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag, **attrs)

    def has(self, name: str, value: str) -> bool:
        if name == "class_":
            return value in self.attrs.get("class", "").split()
        return self.attrs.get(name) == value

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = list(self.iter(tag, **attrs))
        assert found, f"no <{tag}> with {attrs}"
        return found[0]


class TreeBuilder(HTMLParser):
    """Builds the tree; fails on an end tag that does not close the element open at that point."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(path: Path) -> Element:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    assert [e.tag for e in builder.stack] == ["#document"], "elements left open"
    return builder.root.find("html")


# ---- entries as the build records them (Report.as_dict, so the format cannot drift) --


def entry(lang="en", audience="child", topic="fever", value=3.0, sentences=(), title="Fever", hardest=()) -> dict:
    """One manifest entry; sentences are (text, line) pairs of block "intro" in handouts/<topic>.yaml."""
    formula = FORMULAS.get(lang)
    source = f"handouts/{topic}.yaml"
    said = tuple(Sentence(text, length(text, lang), source, line, "intro") for text, line in sentences)
    report = Report(
        topic=topic,
        audience=audience,
        lang=lang,
        path=source if lang == "en" else f"locales/{lang}/LC_MESSAGES/{topic}.po",
        line=1,
        formula=formula.name if formula else "not measured",
        value=value if formula else None,
        gate=formula.gate(audience) if formula else None,
        passed=formula.passes(audience, value) if formula else True,
        others={},
        sentences=len(said),
        words=sum(s.words for s in said),
        unit="characters" if lang == "zh-Hans" else "words",
        blocks=(BlockScore("intro", 10, value),) if formula else (),
        longest=tuple(sorted(said, key=lambda s: -s.words)[:3]),
        hardest=tuple(hardest),
        all_sentences=said,
    )
    return {
        "name": f"{lang}/{audience}/{topic}.pdf",
        "kind": "handout",
        "lang": lang,
        "audience": audience,
        "topic": topic,
        "title": title,
        "status": "source",
        "pages": 2,
        "report": report.as_dict(),
    }


FEVER = [
    ("A fever can be a sign of infection.", 12),
    ("Take your child's temperature before you give any medicine and write the number down for the nurse.", 13),
    ("Call us now.", 14),
    ("Keep the thermometer clean and dry between uses in the house.", 15),
    ("Do not wait until morning.", 16),
]


def report_for(root: Path, entries: list[dict]) -> Element:
    return parse(write_readability_report(root / "build", entries, root / "templates"))


def details(page: Element, anchor: str) -> Element:
    return page.find("details", id=anchor)


# ---- the page -----------------------------------------------------------------------


def test_page_is_well_formed_english_html_with_working_links(tiny):
    entries = [entry(), entry(topic="signs", value=5.5), entry("es", value=70.0), entry("ar", value=85.0), entry("zh-Hans")]
    page = report_for(tiny, entries)
    assert page.attrs["lang"] == "en"
    ids = [e.attrs["id"] for e in page.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    links = [e.attrs["href"][1:] for e in page.iter("a") if e.attrs.get("href", "").startswith("#")]
    assert links and set(links) <= set(ids)


def test_summary_counts_each_result_per_language(tiny):
    entries = [entry(topic="a", value=3.0), entry(topic="b", value=5.0), entry("ru", value=60.0), entry("zh-Hans"), entry("vi")]
    entries += [{"name": "en/packet.pdf", "kind": "packet", "lang": "en", "report": None}, {**entry(topic="c"), "report": None}]
    page = report_for(tiny, entries)
    rows = {row.find("th").text(): [td.text() for td in row.iter("td")] for row in page.find("table").iter("tr")}
    assert rows["English (en)"] == ["Flesch-Kincaid grade", "1", "1", "0", "0", "2"]
    assert rows["Russian (ru)"] == ["Oborneva (not gated)", "0", "0", "1", "0", "1"]
    assert rows["Chinese (Simplified) (zh-Hans)"] == ["not measured", "0", "0", "0", "1", "1"]
    assert rows["All languages"] == ["", "1", "1", "1", "2", "5"]


def test_a_failing_handout_is_shown_failing_with_its_file_and_line(tiny):
    page = report_for(tiny, [entry(value=5.8, sentences=FEVER), entry(topic="signs", value=2.0, sentences=FEVER)])
    failing = details(page, "en-child-fever")
    assert "open" in failing.attrs and "over gate" in failing.find("summary").text()
    assert "open" not in details(page, "en-child-signs").attrs
    listed = [li.text() for li in page.find("section").iter("li")]
    assert listed == ["English, child: fever: Flesch-Kincaid grade 5.80, gate at most 4. Edit handouts/fever.yaml"]
    assert [flag.text() for flag in failing.iter("strong", class_="flag")] == [
        "Long sentence 3: 8 words, handouts/fever.yaml:12",
        "Long sentence 1: 17 words, handouts/fever.yaml:13",
        "Long sentence 2: 11 words, handouts/fever.yaml:15",
    ]


def test_longest_sentences_are_marked_and_hard_words_marked_inside(tiny):
    page = report_for(tiny, [entry(value=5.8, sentences=FEVER, hardest=[("temperature", 4), ("medicine", 3)])])
    handout = details(page, "en-child-fever")
    items = list(handout.find("ol", class_="sentences").iter("li"))
    assert [li.text().split(" ")[0] for li in items] == ["A", "Take", "Call", "Keep", "Do"]  # reading order
    assert [mark.text() for mark in handout.iter("mark", class_="long")] == [FEVER[0][0], FEVER[1][0], FEVER[3][0]]  # the three longest
    longest = items[1].find("mark", class_="long")
    assert longest.text() == FEVER[1][0]
    assert [m.text() for m in longest.iter("mark", class_="hard")] == ["temperature", "medicine"]
    assert "Long sentence 1" in items[1].find("strong", class_="flag").text()  # a text marker, not colour only


def test_hostile_titles_and_sentences_are_escaped(tiny):
    page_path = write_readability_report(tiny / "build", [entry(title=HOSTILE, sentences=[(HOSTILE, 3), ("Short.", 4)])], tiny / "templates")
    raw = page_path.read_text(encoding="utf-8")
    page = parse(page_path)
    assert not list(page.iter("script")) and not list(page.iter("b"))
    assert "&lt;script&gt;" in raw
    assert page.find("summary").find("span", lang="en").text() == HOSTILE
    assert details(page, "en-child-fever").find("mark", class_="long").text() == HOSTILE


def test_arabic_titles_and_sentences_are_right_to_left(tiny):
    arabic = [("يبدأ المرض في خلية واحدة من نخاع العظم.", 27), ("هذا طبيعي.", 28)]
    page = report_for(tiny, [entry("ar", value=85.0, title="لماذا حدث هذا؟", sentences=arabic), entry(sentences=FEVER)])
    sentences = details(page, "ar-child-fever").find("ol", class_="sentences")
    assert (sentences.attrs["lang"], sentences.attrs["dir"]) == ("ar", "rtl")
    assert sentences.find("mark", class_="long").text() == arabic[0][0]
    label = sentences.find("strong", class_="flag")
    assert (label.attrs["lang"], label.attrs["dir"]) == ("en", "ltr")
    title = page.find("td", lang="ar")
    assert title.attrs["dir"] == "rtl" and title.text() == "لماذا حدث هذا؟"
    assert details(page, "en-child-fever").find("ol", class_="sentences").attrs["dir"] == "ltr"


def chart_numbers(svg: Element) -> dict[str, str]:
    """Topic -> the value printed beside its bar."""
    texts = [t.text() for t in svg.iter("text")]
    topics = [t for t in texts if t in {"fever", "signs", "tests"}]
    return {topic: texts[texts.index(topic) + 1] for topic in topics}


def test_chart_is_accessible_and_gives_the_same_numbers_as_its_table(tiny):
    entries = [entry(topic="fever", value=5.8), entry(topic="signs", value=2.25), entry(topic="tests", value=3.0)]
    page = report_for(tiny, entries)
    svg = page.find("svg", role="img")
    title_id, desc_id = svg.attrs["aria-labelledby"].split()
    assert svg.find("title", id=title_id).text() == "English, child handouts: Flesch-Kincaid grade per topic (lower is easier)"
    assert "Gate: at most 4. 2 of 3 meet it." in svg.find("desc", id=desc_id).text()
    assert chart_numbers(svg) == {"fever": "5.80 ✗ over gate", "signs": "2.25", "tests": "3.00"}
    assert [r.attrs["fill"].startswith("url(") for r in svg.iter("rect") if "stroke" in r.attrs] == [True, False, False]  # striped, not colour only
    assert "Flesch-Kincaid grade (lower is easier)" in [t.text() for t in svg.iter("text")]
    table = list(page.iter("table"))[1]  # after the summary
    rows = {row.find("th").text(): [td.text() for td in row.iter("td")][1:4] for row in list(table.iter("tr"))[1:]}
    assert rows == {
        "fever": ["5.80", "at most 4", "✗ over gate"],
        "signs": ["2.25", "at most 4", "✓ meets gate"],
        "tests": ["3.00", "at most 4", "✓ meets gate"],
    }


def test_ease_scores_say_higher_is_easier_and_under_gate(tiny):
    page = report_for(tiny, [entry("es", value=70.0), entry("es", topic="signs", value=85.0)])
    svg = page.find("svg", role="img")
    assert "(higher is easier)" in svg.find("title").text()
    assert chart_numbers(svg) == {"fever": "70.00 ✗ under gate", "signs": "85.00"}


def test_a_language_with_no_formula_shows_sentence_length_and_says_why(tiny):
    chinese = [("这个变了的细胞会不停地复制自己。", 26), ("不要害怕。", 27)]
    page = report_for(tiny, [entry("zh-Hans", sentences=chinese)])
    section = page.find("section", id="lang-zh-Hans")
    assert "no readability formula has been validated for Chinese (Simplified)" in section.find("p").text()
    assert "characters per sentence (not a reading-level score)" in [t.text() for t in section.find("svg").iter("text")]
    headers = [th.text() for th in section.find("table").find("thead").iter("th")]
    assert headers == ["Topic", "Title", "Characters per sentence", "Sentences"]
    assert [td.text() for td in section.find("table").find("tbody").iter("td")][1:] == ["9.5", "2"]  # (15 + 4) / 2


def test_output_is_deterministic_and_written_atomically(tiny):
    entries = [entry(lang, audience, topic, sentences=FEVER) for lang in ("en", "es", "ar") for audience in ("child", "adult") for topic in ("fever", "signs")]
    first = write_readability_report(tiny / "build", entries, tiny / "templates").read_bytes()
    random.Random(4).shuffle(entries)
    assert write_readability_report(tiny / "build", entries, tiny / "templates").read_bytes() == first
    assert sorted(p.name for p in (tiny / "build").iterdir()) == ["readability.html"]


def test_fast_enough_to_run_after_every_build(tiny):
    sentences = FEVER * 8  # 40 sentences a handout, as in the real handouts
    entries = [
        entry(lang, audience, f"topic-{n}", 3.0, sentences, hardest=[("temperature", 4)])
        for lang in FORMULAS
        for audience in ("child", "adult", "caregiver")
        for n in range(18)
    ]
    assert len(entries) >= 320
    start = time.perf_counter()
    write_readability_report(tiny / "build", entries, tiny / "templates")
    assert time.perf_counter() - start < 1.0  # ~0.12 s on the development machine; a no-op build must stay ~1 s


# ---- a real build -------------------------------------------------------------------


def test_a_real_build_reports_a_hard_handout_with_its_yaml_line(project):
    path = project / "handouts" / "fever.yaml"
    hard = (
        "Immunosuppressive chemotherapy regimens necessitate meticulous monitoring of hematological parameters"
        " throughout every consecutive treatment cycle and for several additional weeks afterwards."
    )
    path.write_text(path.read_text(encoding="utf-8").replace("Your medicine fights the leukemia.", hard, 1), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if hard in text)
    result = build(Project(project), Selection(["en"], ["child", "adult"], ["fever"]), project / "clinic.yaml")
    assert [p.code for p in result.problems] == ["readability.gate"]
    assert {"en/child/fever.pdf", "en/adult/fever.pdf"} <= {str(p.relative_to(project / "build")) for p in result.written}
    page = parse(project / "build" / "readability.html")
    handout = details(page, "en-child-fever")
    assert "open" in handout.attrs and "over gate" in handout.find("summary").text()
    longest = handout.find("li", class_="long")
    assert longest.find("mark", class_="long").text() == hard
    assert longest.find("strong", class_="flag").text() == f"Long sentence 1: 20 words, handouts/fever.yaml:{line}"
    assert "Immunosuppressive" in [mark.text() for mark in longest.iter("mark", class_="hard")]
    assert "open" not in details(page, "en-adult-fever").attrs
