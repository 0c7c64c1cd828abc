"""What the build may skip: a fingerprint of every input of a handout, and the manifest of what was built.

A handout's inputs are its own English strings, their translations and the page strings (ui),
the review state, the templates and pictures, the clinic settings, the font files, and the
versions of the tools. The PDF is rebuilt only when that fingerprint changes (or the PDF is gone).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from . import __version__
from .files import write_atomically
from .model import Handout
from .problems import Problem

TOOLS = ("weasyprint", "babel", "jinja2", "fonttools", "uharfbuzz", "textstat", "arabic-reshaper", "python-bidi")


def environment_fingerprint(templates: Path, settings_path: Path) -> str:
    """Everything every handout shares: tool versions, this package's code, templates and pictures, clinic settings."""
    digest = hashlib.sha256(repr((__version__, [version(tool) for tool in TOOLS])).encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):  # our own code: a fix in it rebuilds what it touches
        digest.update(path.read_bytes())
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(templates)).encode() + b"\0" + path.read_bytes())
    digest.update(settings_path.read_bytes() if settings_path.exists() else b"")
    return digest.hexdigest()


def handout_fingerprint(environment: str, handout: Handout, language, font_files: list[Path], final: bool) -> str:
    """The fingerprint of one handout in one language (language None for English)."""
    texts = list(handout.texts())
    parts: list = [
        environment,
        final,
        handout.topic,
        handout.audience,
        str(handout.reviewed),
        str(handout.next_review),
        [(s.id, s.title, s.url) for s in handout.sources],
        [(b.id, b.kind, b.image, list(b.texts)) for b in handout.blocks],
        [(t.context, t.value) for t in texts],
        [(str(p), p.stat().st_size) for p in font_files],
    ]
    if language is not None:
        entries = language.domains.get(handout.topic, {})
        parts.append([_entry(entries.get((t.context, t.value))) for t in texts])
        parts.append(sorted((key, _entry(entry)) for key, entry in language.domains.get("ui", {}).items() if key[0] is not None))
        parts.append(language.review is not None)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def combined_fingerprint(*parts: str) -> str:
    """A PDF made of others (a bilingual handout, a packet): changes when any of them does."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _entry(entry) -> tuple | None:
    return (entry.string, entry.fuzzy) if entry else None


class Manifest:
    """build/.manifest.json: the fingerprint of each PDF written, and its reading-level notes."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.entries: dict = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False

    def is_current(self, target: Path, name: str, fingerprint: str) -> bool:
        entry = self.entries.get(name)
        return bool(entry) and entry.get("fingerprint") == fingerprint and target.exists()

    def advice(self, name: str) -> list[Problem]:
        return [Problem(**p) for p in self.entries.get(name, {}).get("advice", [])]

    def record(self, name: str, fingerprint: str, advice: list[Problem], summary: dict) -> None:
        self.entries[name] = {"fingerprint": fingerprint, "advice": [asdict(p) for p in advice], "summary": summary}
        self.changed = True

    def summaries(self) -> list[dict]:
        """What was said of each PDF built (see build.summary), with its name under build/."""
        return [{"name": name, **entry["summary"]} for name, entry in sorted(self.entries.items()) if "summary" in entry]

    def forget(self, name: str) -> None:
        self.changed |= self.entries.pop(name, None) is not None

    def save(self) -> None:
        if self.changed or not self.path.exists():
            write_atomically(self.path, json.dumps(self.entries, sort_keys=True, indent=0))


@contextmanager
def build_lock(output: Path, wait_message) -> Iterator[None]:
    """One build at a time per output folder; a second one waits for the first.

    A POSIX record lock (lockf), not flock: it belongs to this process alone, so render workers
    forked while it is held do not inherit it, and a build whose main process is killed frees
    it at once even if a worker is still finishing.
    """
    output.mkdir(parents=True, exist_ok=True)
    with (output / ".lock").open("w") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            wait_message()
            fcntl.lockf(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)


def remove_stale_temporaries(output: Path) -> None:
    """Temporary files left by a killed build (the lock says none is running now)."""
    for path in output.rglob(".*.tmp"):
        path.unlink(missing_ok=True)
