#!/usr/bin/env python3
"""Benchmark: our build against the naive way and against the floor, side by side in one run.

(a) our full build, cold (empty build folder and caches), all cores
(b) our no-op rebuild
(c) the naive peer: one `weasyprint` command-line process per handout, over the same HTML
(d) the floor: the same HTML rendered by WeasyPrint serially in one process, nothing else

The benchmark runs in rounds (--repeat, default 5). Each round measures (a), (b), (d) and (c) over
a share of the handouts (every job once over all rounds); odd rounds run the peers first. The
ratios are taken within each round and their median is printed with every round's value. This
machine's speed drifts by 10-20% from one minute to the next, so no peer may be measured at a
different time than ours.

Usage: .venv/bin/python bench/run.py [--sample N] [--only KIND] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from careprint import build  # noqa: E402
from careprint.content import load_content  # noqa: E402

SCRIPTS = {"cjk": {"zh-Hans", "ko"}, "arabic": {"ar"}, "cyrillic": {"ru"}}
TARGETS = "a/c <= 0.12, a <= 1.2 x d/cores, no-op <= 1.5 s, peak RSS <= 500 MB, median handout PDF <= 60 KB Latin, <= 250 KB CJK"


def script_of(lang: str) -> str:
    return next((name for name, langs in SCRIPTS.items() if lang in langs), "latin")


def copy_project(target: Path) -> Path:
    for name in ("handouts", "templates", "locales"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "clinic.yaml", target / "clinic.yaml")
    return target


def selection(sample: int | None) -> build.Selection:
    if not sample:
        return build.Selection()
    content, _ = load_content(REPO)
    return build.Selection(topics=sorted(t.slug for t in content.topics)[:sample])


def run_build(root: Path, chosen: build.Selection, kinds: tuple[str, ...]) -> tuple[float, int]:
    start = time.perf_counter()
    args = [sys.executable, str(REPO / "generate.py"), "--project", str(root), "build", "--quiet"]
    for topic in chosen.topics or []:
        args += ["--topic", topic]
    for kind in kinds:
        args += ["--only", kind]
    subprocess.run(args, check=False, capture_output=True)
    return time.perf_counter() - start, peak_child_rss()


def peak_child_rss() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # MB (the largest process)


def html_jobs(root: Path, chosen: build.Selection, kinds: tuple[str, ...], folder: Path) -> list[tuple[Path, Path, Path, str]]:
    """Write each handout's HTML and CSS, exactly as our build renders them, for (c) and (d)."""
    project = build.Project(root)
    jobs = []
    for number, job in enumerate(build.page_jobs(project, chosen, root / "clinic.yaml", kinds)):
        html, css = folder / f"{number}.html", folder / f"{number}.css"
        html.write_text(job.html.replace("<head>", f'<head><base href="{project.templates.as_uri()}/">', 1), encoding="utf-8")
        css.write_text(job.font_css + "\n" + job.css, encoding="utf-8")
        jobs.append((html, css, folder / f"{number}.pdf", job.name.split("/")[0]))
    return jobs


def naive(jobs, templates: Path) -> float:
    weasyprint = Path(sys.executable).parent / "weasyprint"
    start = time.perf_counter()
    for html, css, pdf, _ in jobs:
        command = [str(weasyprint), "-s", str(templates / "handout.css"), "-s", str(css), "--pdf-variant", "pdf/ua-1", str(html), str(pdf)]
        subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def floor(jobs, templates: Path) -> float:
    code = (
        "import sys, time\n"
        "from weasyprint import CSS, HTML\n"
        "from weasyprint.text.fonts import FontConfiguration\n"
        "jobs = [line.split('\\t') for line in sys.stdin.read().splitlines()]\n"
        "fonts = FontConfiguration()\n"
        f"base = CSS(filename={str(templates / 'handout.css')!r}, font_config=fonts)\n"
        "start = time.perf_counter()\n"
        "for html, css, pdf in jobs:\n"
        "    HTML(filename=html).write_pdf(pdf, stylesheets=[base, CSS(filename=css, font_config=fonts)], font_config=fonts, pdf_variant='pdf/ua-1')\n"
        "print(time.perf_counter() - start)\n"
    )
    listing = "\n".join(f"{html}\t{css}\t{pdf}" for html, css, pdf, _ in jobs)
    out = subprocess.run([sys.executable, "-c", code], input=listing, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def sizes(root: Path) -> dict[tuple[str, str], tuple[float, float, int]]:
    """Median and largest PDF (KB) and how many, per kind and script."""
    by_kind: dict[tuple[str, str], list[int]] = {}
    for pdf in (root / "build").rglob("*.pdf"):
        parts = pdf.relative_to(root / "build").parts
        kind, lang = (parts[0], parts[1]) if parts[0] in ("bilingual", "packets") else ("handouts", parts[0])
        by_kind.setdefault((kind, script_of(lang)), []).append(pdf.stat().st_size)
    return {key: (statistics.median(v) / 1024, max(v) / 1024, len(v)) for key, v in sorted(by_kind.items())}


def weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "unknown CPU")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = platform.freedesktop_os_release().get("PRETTY_NAME", os.uname().sysname)
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {system}, Python {sys.version.split()[0]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, help="only the first N topics (all languages and readers)")
    parser.add_argument("--only", action="append", choices=build.KINDS, help="only these kinds of PDF (default: everything the build makes)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds: each measures (a), (b), (d) and a share of (c); ratios are taken per round (default: 5)")
    args = parser.parse_args()
    kinds = tuple(args.only or build.KINDS)
    cores = os.cpu_count() or 1
    chosen = selection(args.sample)
    rounds = max(args.repeat, 1)
    a_runs, b_runs, c_runs, d_runs = [], [], [], []
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp) / "html"
        work.mkdir()
        peers = copy_project(Path(temp) / "peers")
        jobs = html_jobs(peers, chosen, kinds, work)
        for number in range(rounds):
            root = copy_project(Path(temp) / f"project{number}")
            for turn in ("ours", "peers") if number % 2 == 0 else ("peers", "ours"):  # a drift over a round favours neither side
                if turn == "ours":
                    a, rss = run_build(root, chosen, kinds)
                    a_runs.append(a)
                    b_runs.append(run_build(root, chosen, kinds)[0])
                    if number == 0:
                        count, peak, per_script = len(list((root / "build").rglob("*.pdf"))), rss, sizes(root)
                else:
                    d_runs.append(floor(jobs, peers / "templates"))
                    c_runs.append(naive_share(jobs, number, rounds, peers / "templates"))
    a, b, d = (statistics.median(runs) for runs in (a_runs, b_runs, d_runs))
    c = sum(share for share, _ in c_runs)  # every job once
    a_c = [a / (share * len(jobs) / done) for a, (share, done) in zip(a_runs, c_runs, strict=True)]
    a_d = [a / (d / cores) for a, d in zip(a_runs, d_runs, strict=True)]
    print(f"machine: {machine()}, WeasyPrint {weasyprint_version()}")
    print(f"PDFs: {count} ({', '.join(kinds)}; {len(jobs)} rendered by the peers); {rounds} round(s), taking turns")
    print(f"(a) our full build, cold:      {a:7.1f} s  ({count / a:.1f} handouts/s){runs_of(a_runs)}")
    print(f"(b) our no-op rebuild:         {b:7.2f} s{runs_of(b_runs, 2)}")
    print(f"(c) naive: a process each:     {c:7.1f} s  ({len(jobs) / c:.1f} handouts/s)")
    print(f"(d) floor: serial, in-process: {d:7.1f} s  ({len(jobs) / d:.1f} handouts/s){runs_of(d_runs)}")
    print(f"a/c = {statistics.median(a_c):.3f}{runs_of(a_c, 3)}")
    print(f"a/(d/cores) = {statistics.median(a_d):.3f}{runs_of(a_d, 3)}")
    print(f"peak RSS of one process = {peak} MB")
    for (kind, script), (median, largest, n) in per_script.items():
        print(f"PDF size {kind:<9} {script:<9} median {median:6.1f} KB   max {largest:6.1f} KB   ({n} PDFs)")
    print(f"targets: {TARGETS}")
    return 0


def naive_share(jobs: list, number: int, rounds: int, templates: Path) -> tuple[float, int]:
    """(c) over every rounds-th job, starting at number: (seconds, jobs done)."""
    share = jobs[number::rounds]
    return naive(share, templates), len(share)


def runs_of(runs: list[float], digits: int = 1) -> str:
    return f"   median of {', '.join(f'{run:.{digits}f}' for run in runs)}" if len(runs) > 1 else ""


if __name__ == "__main__":
    raise SystemExit(main())
