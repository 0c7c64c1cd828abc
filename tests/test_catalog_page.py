"""build/index.html, the catalog page: its HTML (unit tests), then the built page in a real headless Chromium.

The browser tests need Debian's chromium, the Python playwright package and axe-core from npm
(tests/browser): ./install.sh installs all three. When one is missing the tests fail; CI must run them.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, copy_project
from PIL import Image, ImageChops, ImageStat

from careprint.build import Options, Project, Selection, build
from careprint.catalog import write_catalog
from careprint.incremental import Manifest

TEMPLATES = REPO / "templates"
BROWSER_DIR = Path(__file__).resolve().parent / "browser"
AXE = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
REFERENCE_SCREENSHOT = BROWSER_DIR / "catalog-reference.png"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SETUP_HINT = "run ./install.sh (it installs Debian's chromium, playwright into .venv and axe-core with npm ci --prefix tests/browser)"
HOSTILE_TITLE = '</script><script>alert(1)</script>" onmouseover="alert(2)'


def report(lang: str, formula: str, score: float | None, gate: float | None, passed: bool = True) -> dict:
    return {"lang": lang, "formula": formula, "score": score, "gate": gate, "passed": passed, "per_sentence": 9.5, "length_unit": "words"}


def entry(lang: str, audience: str, topic: str, title: str, status: str, report_: dict | None, kind: str = "handout", name: str = "") -> dict:
    name = name or f"{lang}/{audience}/{topic}.pdf"
    return {"name": name, "kind": kind, "lang": lang, "audience": audience, "topic": topic, "title": title, "status": status, "pages": 3, "report": report_}


SAMPLE = [
    entry("en", "child", "fever", "When you feel hot or sick", "source", report("en", "Flesch-Kincaid grade", 3.2, 4.0)),
    entry("en", "adult", "fever", "Fever and emergencies: when to call us", "source", report("en", "Flesch-Kincaid grade", 6.4, 6.0, passed=False)),
    entry("ar", "child", "fever", "عندما تشعر بالحرارة أو بالمرض", "draft", report("ar", "OSMAN", 95.1, 90.0)),
    entry("es", "child", "fever", "Cuando te sientes caliente o enfermo", "reviewed", report("es", "Szigriszt-Pazos (INFLESZ)", 82.0, 80.0)),
    entry("zh-Hans", "child", "fever", "当你觉得发热或生病时", "draft", report("zh-Hans", "not measured", None, None)),
    entry("ru", "caregiver", "signs", "Признаки и симптомы", "draft", report("ru", "Oborneva (not gated)", 54.6, None)),
]


class Elements(HTMLParser):
    """Every start tag with its attributes, plus the text inside each element that has a lang attribute."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.texts: dict[str, list[str]] = {}
        self.open_langs: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "input", "br", "link"):
            self.open_langs.append(dict(attrs).get("lang"))

    def handle_endtag(self, tag):
        self.open_langs.pop()

    def handle_data(self, data):
        innermost = next((lang for lang in reversed(self.open_langs) if lang), None)
        self.texts.setdefault(innermost, []).append(data)

    def text_of(self, lang: str) -> str:
        return "".join(self.texts.get(lang, []))


def page_html(tmp_path: Path, entries: list[dict]) -> str:
    return write_catalog(tmp_path, entries, TEMPLATES).read_text(encoding="utf-8")


# ---- the HTML ----------------------------------------------------------------------


def test_page_is_english_and_each_title_carries_its_own_language_and_direction(tmp_path: Path):
    elements = Elements(page_html(tmp_path, SAMPLE))
    assert elements.tags[0] == ("html", {"lang": "en"})
    titles = {attrs["href"]: attrs for tag, attrs in elements.tags if tag == "a" and attrs.get("class") == "title"}
    assert titles["ar/child/fever.pdf"] == {"class": "title", "href": "ar/child/fever.pdf", "lang": "ar", "dir": "rtl"}
    assert titles["zh-Hans/child/fever.pdf"]["lang"] == "zh-Hans"
    assert titles["zh-Hans/child/fever.pdf"]["dir"] == "ltr"
    assert "عندما تشعر بالحرارة" in elements.text_of("ar")
    assert "العربية" in elements.text_of("ar")  # the language heading, in its own script
    assert "中文 (简体)" in elements.text_of("zh-Hans")
    assert "español" in elements.text_of("es")


def test_hostile_title_is_text_not_markup(tmp_path: Path):
    html = page_html(tmp_path, [*SAMPLE, entry("fr", "adult", "signs", HOSTILE_TITLE, "draft", None)])
    assert "<script>alert" not in html
    assert 'onmouseover="alert' not in html
    assert html.count("<script>") == 1  # the page's own filter script
    elements = Elements(html)
    assert not any("onmouseover" in attrs for tag, attrs in elements.tags)
    assert HOSTILE_TITLE in elements.text_of("fr")


def test_only_a_recorded_review_is_called_reviewed(tmp_path: Path):
    entries = [*SAMPLE, entry("fr", "adult", "signs", "Signes", "pending", None)]
    statuses = re.findall(r'<td class="status-([a-z]+)">(.*?)</td>', page_html(tmp_path, entries))
    assert sorted(statuses) == [
        ("draft", "<strong>Draft</strong>: not reviewed by a qualified medical translator"),  # ar, ru, zh-Hans
        ("draft", "<strong>Draft</strong>: not reviewed by a qualified medical translator"),
        ("draft", "<strong>Draft</strong>: not reviewed by a qualified medical translator"),
        ("draft", "<strong>Review not recorded</strong>: treat as a draft"),  # an unknown status is never shown as reviewed
        ("reviewed", "<strong>Reviewed</strong> by a qualified medical translator"),  # es only
        ("source", "<strong>English original</strong>"),
        ("source", "<strong>English original</strong>"),
    ]


def test_reading_level_names_formula_target_and_unmeasured_languages(tmp_path: Path):
    html = page_html(tmp_path, SAMPLE)
    assert "Flesch-Kincaid grade 3.2" in html
    assert "target 4 or lower: met" in html
    assert "target 6 or lower: not met" in html
    assert "OSMAN 95.1" in html
    assert "target 90 or higher: met" in html  # an ease score: higher is easier
    assert "Oborneva (not gated) 54.6" in html
    assert "no target on this scale" in html
    assert "Not measured" in html  # zh-Hans: no validated formula, never an English score
    assert "9.5 words per sentence" in html


def test_every_kind_gets_its_own_section_in_a_fixed_order(tmp_path: Path):
    entries = [
        entry("es", "adult", "", "Paquete", "draft", None, kind="packet", name="packets/es/adult.pdf"),
        entry("es", "adult", "fever", "Fiebre / Fever", "draft", None, kind="bilingual", name="bilingual/es/adult/fever.pdf"),
        entry("es", "adult", "fever", "Fiebre", "draft", None, kind="poster", name="posters/es/fever.pdf"),
        *SAMPLE,
    ]
    headings = re.findall(r'<h2 id="kind-[a-z]+">([^<]+)</h2>', page_html(tmp_path, entries))
    assert headings == ["Handouts", "Bilingual handouts", "Packets", "Poster"]


def test_same_entries_give_the_same_bytes_written_atomically(tmp_path: Path):
    first = page_html(tmp_path, SAMPLE)
    shuffled = random.Random(1).sample(SAMPLE, len(SAMPLE))
    assert page_html(tmp_path, shuffled) == first
    assert sorted(path.name for path in tmp_path.iterdir()) == ["index.html"]  # no temporary left


def test_nothing_built_yet_says_how_to_build(tmp_path: Path):
    html = page_html(tmp_path, [])
    assert "No handouts have been built yet" in html
    assert 'id="filters"' not in html


def test_writing_the_page_is_fast(tmp_path: Path):
    """It is written after every build, a no-op build included (~1 s in all)."""
    many = [{**item, "name": f"{n}/{item['name']}", "topic": f"{item['topic']}-{n}"} for n in range(60) for item in SAMPLE]  # 360 PDFs
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        write_catalog(tmp_path, many, TEMPLATES)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.2, timings


# ---- in Chromium -------------------------------------------------------------------

BUILT_LANGS = ["en", "ar", "es"]
BUILT_TOPICS = ["fever", "signs", "causes"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """English, Arabic and Spanish, three topics, every reader (27 handouts, 18 bilingual, 9 packets) and the catalog page."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    result = build(Project(root), Selection(BUILT_LANGS, topics=BUILT_TOPICS), root / "clinic.yaml", options=Options(workers=os.cpu_count() or 1))
    assert [str(p) for p in result.problems] == []
    handouts = len(BUILT_LANGS) * 3 * len(BUILT_TOPICS)
    bilingual = (len(BUILT_LANGS) - 1) * 3 * len(BUILT_TOPICS)
    assert len(result.written) == handouts + bilingual + len(BUILT_LANGS) * 3
    return root / "build"


@pytest.fixture(scope="module")
def entries(built: Path) -> list[dict]:
    return Manifest(built / ".manifest.json").summaries()


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(f"chromium is not installed: {SETUP_HINT}", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"the playwright package is not installed: {SETUP_HINT}", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page that remembers console errors, script errors and requests that failed or left file://."""

    def __init__(self, browser, url: str, javascript: bool = True):
        self.context = browser.new_context(viewport={"width": 1024, "height": 768}, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda message: message.type in ("error", "warning") and self.problems.append(f"console {message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        self.page.on("request", lambda request: request.url.startswith(("file:", "data:")) or self.problems.append(f"network: {request.url}"))
        self.page.goto(url)

    def visible_links(self) -> list[str]:
        return self.page.eval_on_selector_all("#results a", "links => links.filter(link => link.checkVisibility()).map(link => link.getAttribute('href'))")


@pytest.fixture
def catalog_page(browser, built: Path):
    watched = Watched(browser, (built / "index.html").as_uri())
    yield watched
    watched.context.close()


def test_page_loads_from_file_without_errors_or_network(catalog_page: Watched, entries: list[dict]):
    page = catalog_page.page
    assert page.title() == "Patient handouts: find and print"
    assert page.is_visible("#filters")
    assert page.inner_text("#result-count") == f"Showing all {len(entries)} PDFs."
    assert catalog_page.problems == []


def test_keyboard_filter_to_arabic_child_shows_exactly_those(catalog_page: Watched, entries: list[dict]):
    page = catalog_page.page
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-lang"
    page.keyboard.type("Arabic")  # a closed select jumps to the option typed
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "filter-audience"
    page.keyboard.type("Child")
    page.keyboard.press("Tab")
    expected = sorted(item["name"] for item in entries if item["lang"] == "ar" and item["audience"] == "child")
    assert len(expected) == 2 * len(BUILT_TOPICS) + 1  # the handouts, their bilingual versions and the packet
    assert sorted(catalog_page.visible_links()) == expected
    assert page.get_attribute("#result-count", "aria-live") == "polite"
    assert page.inner_text("#result-count") == f"Showing {len(expected)} of {len(entries)} PDFs."
    page.keyboard.press("Tab")  # the search box
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Show all"
    page.wait_for_function("document.querySelector('#result-count').textContent.startsWith('Showing all')")
    assert len(catalog_page.visible_links()) == len(entries)
    assert catalog_page.problems == []


def test_search_ignores_case_and_accents(catalog_page: Watched, entries: list[dict]):
    page = catalog_page.page
    page.focus("#filter-search")
    page.keyboard.type("ESPANOL fever")
    expected = sorted(item["name"] for item in entries if item["lang"] == "es" and item["topic"] == "fever")
    assert sorted(catalog_page.visible_links()) == expected


def test_every_link_opens_a_built_pdf(catalog_page: Watched, built: Path, entries: list[dict]):
    hrefs = catalog_page.page.eval_on_selector_all("#results a", "links => links.map(link => link.getAttribute('href'))")
    assert sorted(hrefs) == sorted(item["name"] for item in entries)
    assert [href for href in hrefs if not (built / href).is_file() or not href.endswith(".pdf")] == []
    assert catalog_page.page.get_attribute(".skip-link", "href") == "#results"


def test_without_javascript_the_whole_list_shows(browser, built: Path, entries: list[dict]):
    watched = Watched(browser, (built / "index.html").as_uri(), javascript=False)
    try:
        assert not watched.page.is_visible("#filters")
        assert len(watched.visible_links()) == len(entries)
    finally:
        watched.context.close()


def test_axe_finds_no_serious_or_critical_violations(catalog_page: Watched):
    """Including WCAG AAA contrast (7:1), which axe leaves out unless asked."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed in tests/browser: {SETUP_HINT}", pytrace=False)
    page = catalog_page.page
    page.add_script_tag(path=str(AXE))
    for state in ("all", "filtered"):
        if state == "filtered":
            page.select_option("#filter-lang", "ar")
        results = page.evaluate("axe.run(document, {resultTypes: ['violations'], rules: {'color-contrast-enhanced': {enabled: true}}})")
        serious = [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3]) for v in results["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], state


def test_screenshot_matches_the_reference(browser, tmp_path: Path):
    """The top of a page of fixed sample entries, at 1024x768, against tests/browser/catalog-reference.png.

    Compared in greyscale at half size with a tolerance (font hinting may differ a little). After a
    deliberate change of the page's look, write a new reference with CAREPRINT_UPDATE_SCREENSHOT=1.
    """
    write_catalog(tmp_path, SAMPLE, TEMPLATES)
    watched = Watched(browser, (tmp_path / "index.html").as_uri())
    try:
        shot = Image.open(io.BytesIO(watched.page.screenshot()))
    finally:
        watched.context.close()
    assert shot.size == (1024, 768)
    small = shot.convert("L").resize((512, 384))
    assert ImageStat.Stat(small).stddev[0] > 20, "the screenshot is blank"
    if os.environ.get("CAREPRINT_UPDATE_SCREENSHOT"):
        small.save(REFERENCE_SCREENSHOT, optimize=True)
    if not REFERENCE_SCREENSHOT.is_file():
        pytest.fail(f"no reference screenshot: look at the page, then write one with CAREPRINT_UPDATE_SCREENSHOT=1 pytest {__file__}", pytrace=False)
    difference = ImageChops.difference(small, Image.open(REFERENCE_SCREENSHOT))
    changed = sum(count for value, count in enumerate(difference.histogram()) if value > 48) / (512 * 384)
    assert changed < 0.02, f"{changed:.1%} of the screenshot differs from {REFERENCE_SCREENSHOT.name}"
