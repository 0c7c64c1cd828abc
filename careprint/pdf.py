"""Stage 5: WeasyPrint turns the HTML into a tagged PDF/UA-1 file, written atomically.

Anything WeasyPrint logs at WARNING or above during a render (ignored CSS, missing glyphs,
refused resources) is returned as a problem: a warning during a build is not noise.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import cssselect2
import pydyf
from weasyprint import CSS, HTML
from weasyprint.pdf import tags as weasyprint_tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .files import write_atomically
from .model import PageJob
from .problems import Problem, error


def tag_languages() -> None:
    """Give every structure element made from an element with a lang attribute its /Lang.

    WeasyPrint 70 writes /Lang only for the whole document, so a screen reader would read an
    English span in an Arabic handout (or the English half of a bilingual one) with the
    document's voice. Its tag builder is wrapped (it recurses through the module attribute, so
    the wrapper sees every box); the version is pinned in pyproject.toml and the audit checks
    the result in every PDF.
    """
    if getattr(weasyprint_tags._build_box_tree, "tags_languages", False):
        return
    build_box_tree = weasyprint_tags._build_box_tree

    def with_languages(box, *args):
        lang = box.element.get("lang") if box.element is not None and box.element_tag != "html" else None
        for element in build_box_tree(box, *args):
            if lang:
                element["Lang"] = pydyf.String(lang)
            yield element

    with_languages.tags_languages = True
    weasyprint_tags._build_box_tree = with_languages


tag_languages()


class Renderer:
    """Renders many handouts in one process, sharing fonts and the stylesheet."""

    def __init__(self, templates: Path, font_folders: list[Path]):
        self.templates = templates
        self.fetch = SafeFetcher([templates, *font_folders])
        self.fonts = FontConfiguration()
        self.stylesheet = CSS(filename=str(templates / "handout.css"), font_config=self.fonts, url_fetcher=self.fetch)
        self.font_sheets: dict[str, CSS] = {}  # parsed once per process: fonts load once

    def write(self, html: str, page_css: str, target: Path, shown: str, font_css: str = "") -> tuple[list[Problem], int]:
        """Render html to target (tmp file + rename); return WeasyPrint's warnings as problems, and the page count.

        page_css carries what differs per handout (paper, page footer); font_css the language's
        @font-face rules.
        """
        with captured_warnings() as records:
            document = html_document(html, str(self.templates) + "/", self.fetch)
            page = CSS(string=page_css, font_config=self.fonts, url_fetcher=self.fetch)
            if font_css not in self.font_sheets:
                self.font_sheets[font_css] = CSS(string=font_css, font_config=self.fonts, url_fetcher=self.fetch)
            rendered = document.render(stylesheets=[self.stylesheet, self.font_sheets[font_css], page], font_config=self.fonts, pdf_variant="pdf/ua-1")
            pdf = rendered.write_pdf(pdf_variant="pdf/ua-1")
        problems = [error(shown, 0, f"WeasyPrint: {record.getMessage()}", "pdf.weasyprint") for record in records]
        if problems:
            return problems, 0
        write_atomically(target, pdf)
        return [], len(rendered.pages)


SVG = "http://www.w3.org/2000/svg"
XMLNS = "http://www.w3.org/2000/xmlns/"


def html_document(html: str, base_url: str, fetcher: URLFetcher) -> HTML:
    """WeasyPrint's document for a page, parsed by expat when the page is well-formed XML.

    WeasyPrint's own HTML5 parser is pure Python: 9 of the 165 s the whole build's pages take
    to render (measured). Our templates write XML-compatible HTML, so expat (in C) builds the
    same tree, which test_pdf compares with WeasyPrint's for every template. A page that is
    not well-formed XML, or not an <html> of a <head> and a <body>, goes to WeasyPrint's parser.
    """
    try:
        root = ElementTree.fromstring(html, ElementTree.XMLParser(target=ElementTree.TreeBuilder(insert_comments=True)))
    except ElementTree.ParseError:
        root = None
    if root is None or root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return ParsedHTML(html5_tree(root), base_url, fetcher)


def html5_tree(root: ElementTree.Element) -> ElementTree.Element:
    """Make an XML parse of a page what an HTML5 parser makes of it.

    An HTML5 parser drops the whitespace before <head>, moves the text after </body> into the
    body and keeps an svg element's xmlns as an attribute.
    """
    root.text = None
    body = root[1]
    if body.tail:
        if len(body):
            body[-1].tail = (body[-1].tail or "") + body.tail
        else:
            body.text = (body.text or "") + body.tail
        body.tail = None
    for element in root.iter():
        for child in element:
            if child.tag == f"{{{SVG}}}svg" and not element.tag.startswith(f"{{{SVG}}}"):
                child.set(f"{{{XMLNS}}}xmlns", SVG)
    return root


class ParsedHTML(HTML):
    """A WeasyPrint HTML document made from a tree that is already parsed (WeasyPrint 70's attributes)."""

    def __init__(self, root: ElementTree.Element, base_url: str, url_fetcher: URLFetcher):  # HTML.__init__ would parse again
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


class SafeFetcher(URLFetcher):
    """Serve only local files from the allowed folders: no network, nothing else on disk."""

    def __init__(self, folders: list[Path]):
        super().__init__(allowed_protocols={"file"})
        self.folders = [folder.resolve() for folder in folders]

    def fetch(self, url: str, headers=None):
        parts = urlsplit(url)
        path = Path(url2pathname(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or not any(path.is_relative_to(folder) for folder in self.folders):
            raise ValueError(f"resource refused (only files from the template and font folders are allowed): {url}")
        return super().fetch(url, headers)


_renderer: Renderer | None = None  # one per worker process
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _start_worker(templates: Path, folders: list[Path], parent: int) -> None:
    global _renderer
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled once, by the parent
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's handler is for the parent
    die_with(parent)
    _renderer = Renderer(templates, folders)


def die_with(parent: int) -> None:
    """Ask Linux to end this worker when the build that started it dies (kill -9, a crash).

    Without it a worker would wait for jobs forever. Elsewhere this does nothing.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _write(job: PageJob, renderer: Renderer | None = None) -> tuple[str, list[Problem], int]:
    try:
        return job.name, *(renderer or _renderer).write(job.html, job.css, Path(job.target), job.name, job.font_css)
    except Exception as exc:  # one broken handout must not stop the others
        return job.name, [error(job.name, 0, f"rendering failed: {exc.__class__.__name__}: {exc}", "pdf.crash")], 0


class PdfWriter:
    """Writes PDFs as jobs arrive: in this process, or in a pool of worker processes.

    Jobs are handed to the pool as soon as they are ready, so rendering overlaps with the
    preparation of the next handouts.
    """

    def __init__(self, templates: Path, folders: list[Path], workers: int):
        self.templates, self.folders, self.workers = templates, folders, workers
        self.pool: ProcessPoolExecutor | None = None
        self.renderer: Renderer | None = None  # when rendering in this process
        self.futures = []
        self.finished: list[tuple[str, list[Problem], int]] = []

    def submit(self, job: PageJob) -> None:
        if self.workers <= 1:
            self.renderer = self.renderer or Renderer(self.templates, self.folders)
            self.finished.append(_write(job, self.renderer))
            return
        if self.pool is None:
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker, initargs=(self.templates, self.folders, os.getpid()))
        self.futures.append(self.pool.submit(_write, job))

    def results(self) -> Iterator[tuple[str, list[Problem], int]]:
        """(name, problems, page count) of each job, as they finish."""
        yield from self.finished
        for future in as_completed(self.futures):
            yield future.result()

    def __enter__(self) -> PdfWriter:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def captured_warnings() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("weasyprint")
    handler = Collect(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
