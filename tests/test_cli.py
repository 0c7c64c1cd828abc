"""The command line: exit codes 0/1/2, problems as path:line, no traceback unless asked."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

from careprint.cli import main


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "generate.py"), *args], cwd=cwd, capture_output=True, text=True)


def test_usage_errors_exit_2():
    assert main([]) == 2
    assert main(["no-such-command"]) == 2
    assert main(["build", "--audience", "teen"]) == 2


def test_unknown_language_or_topic_exits_2(tiny, capsys):
    assert main(["--project", str(tiny), "build", "--lang", "xx"]) == 2
    assert "unknown language 'xx'" in capsys.readouterr().err
    assert main(["--project", str(tiny), "check", "--topic", "nope"]) == 2


def test_check_prints_a_table_and_json(tiny, capsys):
    assert main(["--project", str(tiny), "check"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:5] == ["topic", "reader", "lang", "score", "gate"]
    assert "sample" in out and "Flesch-Kincaid grade" in out
    assert main(["--project", str(tiny), "check", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["audience"] for r in rows} == {"child", "adult", "caregiver"}
    assert all(r["passed"] and "SMOG" in r["others"] and r["hardest_words"] is not None for r in rows)


def test_bad_content_exits_1_with_path_line_and_no_traceback(tiny):
    shutil.copy(REPO / "tests" / "bad_content" / "duplicate-id.yaml", tiny / "handouts")
    result = run("--project", str(tiny), "build", "--quiet")
    assert result.returncode == 1
    assert "handouts/duplicate-id.yaml:14: ERROR: duplicate block id 'picture' (first on line 9) [content.duplicate-id]" in result.stderr
    assert "Traceback" not in result.stderr
    # the good topic was still built
    assert (tiny / "build" / "en" / "child" / "sample.pdf").exists()


def test_broken_settings_reported(tiny):
    (tiny / "clinic.yaml").write_text("clinic:\n  name: X\n  day_phone: call me\nfever:\n  celsius: 45\n")
    result = run("--project", str(tiny), "build", "--quiet")
    assert result.returncode == 1
    assert "clinic.yaml: ERROR: clinic.day_phone 'call me'" in result.stderr
    assert "clinic.night_phone is missing" in result.stderr and "fever.celsius" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_a_subset(tiny):
    result = run("--project", str(tiny), "build", "--audience", "child")
    assert result.returncode == 0, result.stderr
    assert re.search(r"\[[12]/2\] en/child/sample\.pdf", result.stderr) and re.search(r"\[[12]/2\] packets/en/child\.pdf", result.stderr)
    assert sorted(p.relative_to(tiny / "build").as_posix() for p in (tiny / "build").rglob("*.pdf")) == ["en/child/sample.pdf", "packets/en/child.pdf"]
    assert not list((tiny / "build").rglob("*.tmp"))


def test_clinic_settings_fill_the_call_box(tiny):
    from pypdf import PdfReader

    (tiny / "clinic.yaml").write_text(
        "clinic:\n  name: Hospital Infantil Norte\n  day_phone: '+34 900 100 200'\n  night_phone: '+34 900 100 299'\n  country: ES\nfever:\n  celsius: 38.3\n"
    )
    assert run("--project", str(tiny), "build", "--quiet", "--audience", "adult").returncode == 0
    reader = PdfReader(tiny / "build" / "en" / "adult" / "sample.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Hospital Infantil Norte" in text and "+34 900 100 299" in text
    assert "38,3 °C (100,9 °F) or higher" in text  # Celsius first outside the US, numbers as in en_ES
    assert abs(float(reader.pages[0].mediabox.height) - 841.9) < 1  # A4 outside letter countries
