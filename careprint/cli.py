"""The command line: parse, call the library, print problems, return an exit code.

Exit codes: 0 ok, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from . import build, readability
from .content import load_content
from .model import AUDIENCES
from .problems import CareprintError, Problem, has_errors


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.level == "ERROR" for p in problems)
    warnings = len(problems) - errors
    if problems:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    """Score every English handout against its audience's reading-level gate."""
    root = Path(args.project)
    content, problems = load_content(root)
    readability.ensure_offline_data()
    reports = [
        readability.assess(h, "en")
        for h in content.handouts()
        if selected(h.topic, args.topic) and selected(h.audience, args.audience)
    ]
    for report in reports:
        problems += readability.gate_problems(report)
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        print(readability_table(reports, verbose=args.verbose))
    print_problems(problems)
    return 1 if has_errors(problems) else 0


def selected(value: str, wanted: list[str] | None) -> bool:
    return not wanted or value in wanted


def readability_table(reports: list[readability.Report], verbose: bool = False) -> str:
    lines = [f"{'topic':<20} {'reader':<10} {'lang':<5} {'score':>6} {'gate':>6}  {'ok':<4} {'SMOG':>5} {'FRE':>6} {'sent':>5} {'w/s':>5}  formula"]
    for r in reports:
        value = "-" if r.value is None else f"{r.value:.1f}"
        gate = "-" if r.gate is None else f"{r.gate:.0f}"
        smog = r.others.get("SMOG")
        fre = r.others.get("Flesch reading ease", r.others.get("Fernandez-Huerta"))
        wps = r.words / r.sentences if r.sentences else 0
        lines.append(
            f"{r.topic:<20} {r.audience:<10} {r.lang:<5} {value:>6} {gate:>6}  {'yes' if r.passed else 'NO':<4} "
            f"{'-' if smog is None else f'{smog:.1f}':>5} {'-' if fre is None else f'{fre:.1f}':>6} {r.sentences:>5} {wps:>5.1f}  {r.formula}"
        )
        if verbose or not r.passed:
            for b in r.blocks:
                lines.append(f"    block {b.block_id:<28} {b.value:6.1f}   ({r.path}:{b.line})")
            for s in r.longest:
                lines.append(f"    long  {s.words:>2} words: {s.text}   ({s.path}:{s.line})")
            if r.hardest:
                lines.append("    hard  " + ", ".join(f"{w} ({n})" for w, n in r.hardest))
    return "\n".join(lines)


def cmd_build(args: argparse.Namespace) -> int:
    """Build PDFs: build/<lang>/<audience>/<topic>.pdf for every language, reader and topic."""
    project = build.Project(Path(args.project))
    selection = build.Selection(args.lang, args.audience, args.topic)
    settings = Path(args.settings) if args.settings else project.root / "clinic.yaml"
    progress = (lambda _: None) if args.quiet else build.print_progress
    result = build.build(project, selection, settings, progress)
    print_problems(result.problems)
    print(f"{len(result.written)} PDF(s) written under {project.output}, {len(result.skipped)} skipped", file=sys.stderr)
    for name in result.skipped:
        print(f"  skipped {name}", file=sys.stderr)
    if any(p.code.startswith("usage.") for p in result.problems):
        return 2
    return 1 if has_errors(result.problems) else 0


def add_selection(parser: argparse.ArgumentParser, langs: bool = True) -> None:
    if langs:
        parser.add_argument("--lang", action="append", help="only this language, e.g. es (repeatable)")
    parser.add_argument("--audience", action="append", choices=AUDIENCES, help="only this reader (repeatable)")
    parser.add_argument("--topic", action="append", help="only this topic, e.g. fever (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="generate.py", description="Accessible, multilingual, printable patient handouts.")
    parser.add_argument("--project", default=".", help="project folder (default: current folder)")
    parser.add_argument("--traceback", action="store_true", help="show a Python traceback on unexpected errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help=cmd_check.__doc__, description=cmd_check.__doc__)
    add_selection(check, langs=False)
    check.add_argument("--json", action="store_true", help="print the scores as JSON")
    check.add_argument("-v", "--verbose", action="store_true", help="show per-block scores, longest sentences and hardest words for every handout")
    check.set_defaults(func=cmd_check)

    build_cmd = commands.add_parser("build", help=cmd_build.__doc__, description=cmd_build.__doc__)
    add_selection(build_cmd)
    build_cmd.add_argument("--settings", help="clinic settings file (default: clinic.yaml)")
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    build_cmd.set_defaults(func=cmd_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except CareprintError as exc:
        print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback unless asked
        if args.traceback:
            traceback.print_exc()
        else:
            print(f"generate.py: internal error: {exc.__class__.__name__}: {exc} (run with --traceback for details)", file=sys.stderr)
        return 1
