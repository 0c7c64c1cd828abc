"""Shared fixtures: copies of the real project and of tiny sample projects, built in tmp folders."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).resolve().parent / "roots"


def copy_project(target: Path, source: Path = REPO) -> Path:
    """A throwaway copy of a project (content, templates, catalogs, settings; no build output)."""
    for name in ("handouts", "templates", "locales"):
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(source / "clinic.yaml", target / "clinic.yaml")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the real project that a test may change freely."""
    return copy_project(tmp_path)


def fill_catalogs(root: Path, lang: str = "es") -> None:
    """Translate every entry of every catalog of lang (a pseudo-translation that keeps placeholders)."""
    for path in (root / "locales" / lang / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if message.id:
                message.string = "Sí " + message.id
                message.flags.discard("fuzzy")
        with path.open("wb") as handle:
            write_po(handle, catalog, width=79)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """tests/roots/tiny (one small topic) with the real templates."""
    shutil.copytree(ROOTS / "tiny", tmp_path, dirs_exist_ok=True)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


@pytest.fixture
def spanish(tiny: Path) -> Path:
    """The tiny project with a complete (pseudo-translated) Spanish catalog."""
    from careprint.cli import main

    assert main(["--project", str(tiny), "update", "--lang", "es"]) == 0
    fill_catalogs(tiny)
    return tiny


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_weasyprint_logs(request: pytest.FixtureRequest):
    """Anything WeasyPrint logs at WARNING or above during a test fails it (unless the test expects it)."""
    logger = logging.getLogger("weasyprint")
    handler = Collect()
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if not request.node.get_closest_marker("weasyprint_warnings_expected"):
        assert not handler.records, [r.getMessage() for r in handler.records]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "weasyprint_warnings_expected: the test provokes WeasyPrint warnings on purpose")
