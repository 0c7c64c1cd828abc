"""The build as a whole: incremental, reproducible, sharded, atomic, one at a time."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from careprint.build import Options, Project, Selection, build


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root / "build")): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "build").rglob("*.pdf"))}


def run_build(root: Path, **options) -> object:
    """English and Spanish handouts of two topics (bilingual handouts and packets: tests/test_bilingual_packets.py)."""
    options.setdefault("kinds", ("handouts",))
    return build(Project(root), Selection(["en", "es"], None, ["fever", "signs"]), root / "clinic.yaml", options=Options(**options))


def test_noop_rebuild_renders_nothing(project):
    first = run_build(project, workers=2)
    assert len(first.written) == 12 and not first.problems
    again = run_build(project, workers=2)
    assert again.written == [] and len(again.unchanged) == 12 and again.skipped == []


def test_one_sentence_edit_rebuilds_only_what_it_touches(project):
    run_build(project)
    path = project / "handouts" / "signs.yaml"
    text = path.read_text(encoding="utf-8")
    child_line = next(line for line in text.splitlines() if line.strip().startswith("child:") and line.strip().endswith("."))
    path.write_text(text.replace(child_line, child_line[:-1] + "!", 1), encoding="utf-8")
    result = run_build(project)
    # the English child handout changes; the Spanish one now has a missing entry and is skipped
    assert [str(p.relative_to(project / "build")) for p in result.written] == ["en/child/signs.pdf"]
    assert result.skipped == ["es/child/signs.pdf"]
    assert len(result.unchanged) == 10


def test_same_inputs_give_byte_identical_pdfs(tmp_path):
    from conftest import copy_project

    one = copy_project(tmp_path / "one")
    two = copy_project(tmp_path / "two")
    run_build(one, workers=2)
    run_build(two, workers=1)
    assert digests(one) == digests(two)
    run_build(one, force=True)
    assert digests(one) == digests(two)


def test_shards_together_make_the_whole_build(project):
    parts = [run_build(project, shard=(k, 3)) for k in (1, 2, 3)]
    names = [str(p.relative_to(project / "build")) for part in parts for p in part.written]
    assert len(names) == len(set(names)) == 12
    assert all(0 < len(part.written) < 12 for part in parts)


def build_until(project: Path, pdfs: int, *langs: str, **popen) -> subprocess.Popen:
    """Start a build with two workers in another process; return once it has written some PDFs."""
    command = [sys.executable, str(REPO / "generate.py"), "--project", str(project), "build", "-j", "2"]
    command += [option for lang in langs for option in ("--lang", lang)]
    # Ctrl-C works whoever started the tests (a shell's background job ignores it, and children inherit that)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **popen)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((project / "build").rglob("*.pdf"))) < pdfs:
        time.sleep(0.05)
    return process


def test_killed_build_leaves_no_partial_pdf(project):
    """Kill a build while it renders: every PDF on disk is complete, and no temporary is left."""
    process = build_until(project, 5, "en", "es", stderr=subprocess.PIPE, start_new_session=True)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    pdfs = list((project / "build").rglob("*.pdf"))
    assert 5 <= len(pdfs) < 60
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), pdf
    # the temporaries of the killed build are removed by the next build, which completes the rest
    result = run_build(project)
    assert not list((project / "build").rglob("*.tmp"))
    assert not result.skipped


def process_stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, from /proc; None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1])


def children(pid: int) -> list[int]:
    return [int(path.name) for path in Path("/proc").glob("[0-9]*") if (process_stat(int(path.name)) or ("", 0))[1] == pid]


def alive(pid: int) -> bool:
    stat = process_stat(pid)
    return stat is not None and stat[0] != "Z"  # a zombie has ended; only its parent has not collected it yet


def test_a_build_killed_alone_takes_its_workers_and_its_lock_with_it(project):
    """kill -9 of the main process only (a crash, the OOM killer): no worker is left waiting, the next build starts at once."""
    process = build_until(project, 3, "en", "es", stderr=subprocess.DEVNULL, start_new_session=True)
    workers = children(process.pid)  # the two render workers (and a msgfmt check, at times)
    assert len(workers) >= 2
    process.kill()
    process.wait()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "a worker outlived its build"
    command = [sys.executable, str(REPO / "generate.py"), "--project", str(project), "build", "--lang", "en", "--lang", "es", "--quiet"]
    again = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "waiting for another build" not in again.stderr, again.stderr
    assert not list((project / "build").rglob("*.tmp"))


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_interrupt_is_clean(project, stop):
    process = build_until(project, 3, "en", stderr=subprocess.PIPE, text=True)
    process.send_signal(stop)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1 and "interrupted" in err and "Traceback" not in err
    assert not list((project / "build").rglob("*.tmp"))
    for pdf in (project / "build").rglob("*.pdf"):
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF")


def test_two_builds_at_once_wait_for_each_other(project):
    command = [sys.executable, str(REPO / "generate.py"), "--project", str(project), "build", "--lang", "en", "--topic", "fever"]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    outputs = [first.communicate(timeout=300)[1], second.communicate(timeout=300)[1]]
    assert first.returncode == second.returncode == 0, outputs
    assert any("waiting for another build" in out for out in outputs) or all("written" in out for out in outputs)
    assert len(list((project / "build" / "en").rglob("fever.pdf"))) == 3
