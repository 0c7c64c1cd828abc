"""build/index.html: the page front-desk staff use to find and print a handout (to be written)."""

from __future__ import annotations

from pathlib import Path


def write_catalog(output: Path, entries: list[dict]) -> Path:
    """Write output/index.html listing every built PDF described by entries (see build.summary)."""
    return output / "index.html"  # placeholder until written
