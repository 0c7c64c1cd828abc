"""build/readability.html: each handout's reading level against its gate, for writers (to be written)."""

from __future__ import annotations

from pathlib import Path


def write_readability_report(output: Path, entries: list[dict]) -> Path:
    """Write output/readability.html from the entries of the build (see build.summary)."""
    return output / "readability.html"  # placeholder until written
