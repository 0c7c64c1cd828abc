"""Shared fixtures: copies of the real project and of tiny sample projects, built in tmp folders."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

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


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """tests/roots/tiny (one small topic) with the real templates."""
    shutil.copytree(ROOTS / "tiny", tmp_path, dirs_exist_ok=True)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    return tmp_path


@pytest.fixture(autouse=True)
def fail_on_weasyprint_logs(caplog: pytest.LogCaptureFixture):
    """Anything WeasyPrint logs at WARNING or above during a test fails it."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    logged = [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]
    assert not logged, [r.getMessage() for r in logged]
