"""The command line: parse, call the library, print problems, return an exit code.

Exit codes: 0 ok, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import traceback
from collections import Counter
from datetime import date
from pathlib import Path

from . import build, readability, translation, validate
from .content import load_content
from .model import AUDIENCES
from .problems import CareprintError, Problem, error, has_errors, warning


def print_problems(problems: list[Problem]) -> None:
    problems = list(dict.fromkeys(problems))  # the same problem found for several handouts is said once
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.level == "ERROR" for p in problems)
    warnings = len(problems) - errors
    if problems:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def cmd_check(args: argparse.Namespace) -> int:
    """Score every handout against its reader's reading-level gate (English, and translations)."""
    project = build.Project(Path(args.project))
    content, problems = load_content(project.root)
    readability.ensure_offline_data()
    langs = args.lang or build.all_languages(project)
    problems += build.check_selection(project, content, build.Selection(langs, args.audience, args.topic))
    reports = []
    for lang in langs:
        language = None
        if lang != "en":
            language, found = translation.load_language(project.locales, lang, project.root)
            problems += found
            if any(p.code == "translation.language" for p in found):
                continue
        for handout in content.handouts():
            if not (selected(handout.topic, args.topic) and selected(handout.audience, args.audience)):
                continue
            if language is not None:
                translated, found = translation.translate_handout(handout, language)
                if translated is None:
                    problems.append(
                        warning(
                            found[0].path,
                            0,
                            f"[{handout.audience}] {handout.topic} not scored in '{lang}': {len(found)} entries missing, fuzzy or broken (see: status)",
                            "readability.not-scored",
                        )
                    )
                    continue
                handout = translated
            reports.append(readability.assess(handout, lang, language.po_path(handout.topic) if language else None))
    for report in reports:
        problems += readability.gate_problems(report)
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        print(readability_table(reports, verbose=args.verbose))
    print_problems(problems)
    if any(p.code.startswith("usage.") for p in problems):
        return 2
    return 1 if has_errors(problems) else 0


def selected(value: str, wanted: list[str] | None) -> bool:
    return not wanted or value in wanted


def readability_table(reports: list[readability.Report], verbose: bool = False) -> str:
    lines = [f"{'topic':<20} {'reader':<10} {'lang':<7} {'score':>6} {'gate':>6}  {'ok':<4} {'SMOG':>5} {'FRE':>6} {'sent':>5} {'len/s':>6}  formula"]
    for r in reports:
        value = "-" if r.value is None else f"{r.value:.1f}"
        gate = "-" if r.gate is None else f"{r.gate:.0f}"
        smog = r.others.get("SMOG")
        fre = r.others.get("Flesch reading ease", r.others.get("Fernandez-Huerta"))
        wps = r.words / r.sentences if r.sentences else 0
        lines.append(
            f"{r.topic:<20} {r.audience:<10} {r.lang:<7} {value:>6} {gate:>6}  {'yes' if r.passed else 'NO':<4} "
            f"{'-' if smog is None else f'{smog:.1f}':>5} {'-' if fre is None else f'{fre:.1f}':>6} {r.sentences:>5} {wps:>6.1f}  {formula_label(r)}"
        )
        if verbose or not r.passed:
            for b in r.blocks:
                lines.append(f"    block {b.block_id:<28} {b.value:6.1f}   ({r.path}:{b.line})")
            for s in r.longest:
                lines.append(f"    long  {s.words:>2} {r.unit}: {s.text}   ({s.path}:{s.line})")
            if r.hardest:
                lines.append("    hard  " + ", ".join(f"{w} ({n})" for w, n in r.hardest))
    return "\n".join(lines)


def cmd_build(args: argparse.Namespace) -> int:
    """Build PDFs: build/<lang>/<audience>/<topic>.pdf, build/bilingual/<lang>/..., build/packets/<lang>/<audience>.pdf."""
    project = build.Project(Path(args.project))
    selection = build.Selection(args.lang, args.audience, args.topic)
    settings = Path(args.settings) if args.settings else project.root / "clinic.yaml"
    progress = (lambda _: None) if args.quiet else build.print_progress
    kinds = tuple(args.only) if args.only else build.KINDS
    options = build.Options(final=args.final, workers=args.jobs, shard=args.shard, force=args.force, kinds=kinds)
    result = build.build(project, selection, settings, progress, options)
    print_problems(result.problems)
    print(f"{len(result.written)} PDF(s) written, {len(result.unchanged)} up to date, {len(result.skipped)} skipped, under {project.output}", file=sys.stderr)
    for name in result.skipped:
        print(f"  skipped {name}", file=sys.stderr)
    if any(p.code.startswith("usage.") for p in result.problems):
        return 2
    return 1 if has_errors(result.problems) else 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Audit built PDFs: print sizes, contrast, tags, languages and page count, read back from each file."""
    from . import audit

    project = build.Project(Path(args.project))
    paths = [Path(p) for p in args.paths] or [project.output]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"generate.py: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    files = audit.sample(audit.find_pdfs(paths), args.sample)
    if not files:
        print(f"generate.py: no PDF under {', '.join(map(str, paths))} (run: generate.py build)", file=sys.stderr)
        return 2
    problems = []
    for report in audit.audit_all(files, project.output, args.jobs):
        print(report.summary())
        problems += report.problems
    print_problems(problems)
    failed = len({p.path for p in problems})
    print(f"{len(files)} PDF(s) audited, {len(files) - failed} passed, {failed} failed", file=sys.stderr)
    return 1 if has_errors(problems) else 0


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract locales/<topic>.pot and locales/ui.pot from the content and the templates."""
    project = build.Project(Path(args.project))
    content, problems = load_content(project.root)
    catalogs = translation.extract(content, project.templates, project.root)
    changed = translation.write_templates(catalogs, project.locales)
    for path in changed:
        print(f"wrote {path.relative_to(project.root)}")
    print(f"{len(catalogs)} template(s), {len(changed)} changed", file=sys.stderr)
    print_problems(problems)
    return 1 if has_errors(problems) else 0


def cmd_update(args: argparse.Namespace) -> int:
    """Extract, then merge the new English into every catalog (or --lang, which may be a new language)."""
    project = build.Project(Path(args.project))
    content, problems = load_content(project.root)
    if has_errors(problems):
        print_problems(problems)
        print("fix the content first: catalogs are not updated from content with errors", file=sys.stderr)
        return 1
    catalogs = translation.extract(content, project.templates, project.root)
    translation.write_templates(catalogs, project.locales)
    langs = args.lang or translation.languages(project.locales)
    for lang in langs:
        if not translation.known_language(lang):
            print(f"generate.py: unknown language code '{lang}' (use a BCP 47 tag such as es or pt-BR)", file=sys.stderr)
            return 2
        glossary = validate.load_glossary(project.locales / lang / "glossary.yaml", f"locales/{lang}/glossary.yaml", problems)
        for path in translation.update_language(project.locales, lang, catalogs, lambda msgid, g=glossary: validate.glossary_notes(g, msgid)):
            print(f"updated {path.relative_to(project.root)}")
    print_problems(problems)
    return 0


def cmd_compile(args: argparse.Namespace) -> int:
    """Check every catalog with msgfmt --check and compile it to .mo (fuzzy entries left out)."""
    project = build.Project(Path(args.project))
    problems = []
    for lang in args.lang or translation.languages(project.locales):
        problems += translation.compile_language(project.locales, lang, project.root)
    print_problems(problems)
    return 1 if has_errors(problems) else 0


def cmd_status(args: argparse.Namespace) -> int:
    """Translation progress per language (and per topic x reader): translated, fuzzy, untranslated, reviewed."""
    project = build.Project(Path(args.project))
    content, problems = load_content(project.root)
    templates = translation.extract(content, project.templates, project.root)
    rows = []
    for lang in args.lang or translation.languages(project.locales):
        language, found = translation.load_language(project.locales, lang, project.root)
        problems += found
        rows.append(status_row(lang, language, translation.status(templates, language), translation.handout_status(content, language)))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        print_status(rows, args.verbose)
    print_problems(problems)
    return 1 if has_errors(problems) else 0


STATES = ("translated", "fuzzy", "untranslated")


def status_row(lang: str, language: translation.Language, per_domain: dict, per_handout: dict) -> dict:
    total = sum(per_domain.values(), Counter())
    review, stale = language.review, language.stale_review
    return {
        "lang": lang,
        "name": translation.native_name(lang),
        **{state: total[state] for state in STATES},
        "total": sum(total.values()),
        "reviewed": {"reviewer": review.reviewer, "date": review.date.isoformat(), "revision": review.revision} if review else None,
        "stale_review": {"reviewer": stale.reviewer, "date": stale.date.isoformat()} if stale else None,
        "catalogs": {domain: {state: counts[state] for state in STATES} for domain, counts in per_domain.items()},
        "handouts": [
            {"topic": topic, "audience": audience, **{state: counts[state] for state in STATES}, "ready": counts["translated"] == sum(counts.values())}
            for (topic, audience), counts in per_handout.items()
        ],
    }


def print_status(rows: list[dict], verbose: bool) -> None:
    print(f"{'lang':<8} {'name':<18} {'translated':>10} {'fuzzy':>6} {'untrans.':>8} {'total':>6}  {'done':>5}  {'ready':>7}  reviewed")
    for row in rows:
        done = 100 * row["translated"] / row["total"] if row["total"] else 0
        ready = sum(h["ready"] for h in row["handouts"])
        if row["reviewed"]:
            reviewed = f"{row['reviewed']['reviewer']}, {row['reviewed']['date']}"
        elif row["stale_review"]:
            reviewed = f"no: review of {row['stale_review']['date']} is out of date"
        else:
            reviewed = "no (draft)"
        counts = f"{row['translated']:>10} {row['fuzzy']:>6} {row['untranslated']:>8} {row['total']:>6}"
        print(f"{row['lang']:<8} {row['name']:<18} {counts}  {done:>4.0f}%  {ready:>3}/{len(row['handouts']):<3}  {reviewed}")
        if verbose:
            for h in row["handouts"]:
                name = f"{h['topic']}/{h['audience']}"
                print(f"    {name:<30} {h['translated']:>6} {h['fuzzy']:>6} {h['untranslated']:>8}  {'ready' if h['ready'] else 'NOT READY'}")


def cmd_validate(args: argparse.Namespace) -> int:
    """Check catalogs: msgfmt, placeholders, markup, numbers, glossary terms, invisible characters, plural header."""
    project = build.Project(Path(args.project))
    problems = []
    for lang in args.lang or translation.languages(project.locales):
        problems += validate.validate_language(project.locales, lang, project.root)
    print_problems(problems)
    if not problems:
        print("all catalogs valid", file=sys.stderr)
    return 1 if has_errors(problems) else 0


def cmd_review(args: argparse.Namespace) -> int:
    """Record that a qualified medical translator reviewed a language (only after a real review)."""
    project = build.Project(Path(args.project))
    content, problems = load_content(project.root)
    language, found = translation.load_language(project.locales, args.lang, project.root)
    problems += found + validate.validate_language(project.locales, args.lang, project.root)
    templates = translation.extract(content, project.templates, project.root)
    incomplete = sum((c for c in translation.status(templates, language).values()), Counter())
    if incomplete["fuzzy"] or incomplete["untranslated"]:
        problems.append(
            error(
                language.folder,
                0,
                f"{incomplete['fuzzy']} fuzzy and {incomplete['untranslated']} untranslated entries: finish them before a review",
                "review.incomplete",
            )
        )
    if has_errors(problems):
        print_problems(problems)
        print("review not recorded", file=sys.stderr)
        return 1
    day = date.fromisoformat(args.date) if args.date else date.today()
    path = translation.record_review(project.locales, language, args.reviewer, day)
    print(f"recorded {path.relative_to(project.root)}: {args.reviewer}, {day}")
    return 0


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return int(text)


def shard(text: str) -> tuple[int, int]:
    part, _, parts = text.partition("/")
    if not (part.isdigit() and parts.isdigit() and 1 <= int(part) <= int(parts)):
        raise argparse.ArgumentTypeError(f"'{text}' is not K/N with 1 <= K <= N, e.g. 2/4")
    return int(part), int(parts)


def add_selection(parser: argparse.ArgumentParser, langs: bool = True) -> None:
    if langs:
        parser.add_argument("--lang", action="append", help="only this language, e.g. es (repeatable)")
    parser.add_argument("--audience", action="append", choices=AUDIENCES, help="only this reader (repeatable)")
    parser.add_argument("--topic", action="append", help="only this topic, e.g. fever (repeatable)")


def formula_label(report: readability.Report) -> str:
    if report.value is None:
        return f"not measured ({report.unit} per sentence shown)"
    return report.formula


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="generate.py", description="Accessible, multilingual, printable patient handouts.")
    parser.add_argument("--project", default=".", help="project folder (default: current folder)")
    parser.add_argument("--traceback", action="store_true", help="show a Python traceback on unexpected errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help=cmd_check.__doc__, description=cmd_check.__doc__)
    add_selection(check)
    check.add_argument("--json", action="store_true", help="print the scores as JSON")
    check.add_argument("-v", "--verbose", action="store_true", help="show per-block scores, longest sentences and hardest words for every handout")
    check.set_defaults(func=cmd_check)

    build_cmd = commands.add_parser("build", help=cmd_build.__doc__, description=cmd_build.__doc__)
    add_selection(build_cmd)
    build_cmd.add_argument("--settings", help="clinic settings file (default: clinic.yaml)")
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    build_cmd.add_argument("--final", action="store_true", help="refuse every translation not reviewed (no drafts)")
    build_cmd.add_argument("-j", "--jobs", type=positive, default=os.cpu_count() or 1, help="processes rendering PDFs (default: one per core)")
    build_cmd.add_argument("--shard", type=shard, default=(1, 1), metavar="K/N", help="build only part K of N (to share a big build between machines)")
    build_cmd.add_argument("--force", action="store_true", help="rebuild everything, even handouts whose inputs have not changed")
    build_cmd.add_argument(
        "--only", action="append", choices=build.KINDS, help="build only handouts, bilingual handouts or packets (repeatable; default: all three)"
    )
    build_cmd.set_defaults(func=cmd_build)

    audit = commands.add_parser("audit", help=cmd_audit.__doc__, description=cmd_audit.__doc__)
    audit.add_argument("paths", nargs="*", metavar="PATH", help="PDFs or folders (default: the whole build/)")
    audit.add_argument("--sample", type=positive, metavar="N", help="audit only N files spread over the list (as CI does)")
    audit.add_argument("-j", "--jobs", type=positive, default=os.cpu_count() or 1, help="processes auditing PDFs (default: one per core)")
    audit.set_defaults(func=cmd_audit)

    for name, func in (("extract", cmd_extract), ("update", cmd_update), ("compile", cmd_compile), ("status", cmd_status), ("validate", cmd_validate)):
        sub = commands.add_parser(name, help=func.__doc__, description=func.__doc__)
        if name != "extract":
            sub.add_argument("--lang", action="append", help="only this language (repeatable); with update, a new language is created")
        if name == "status":
            sub.add_argument("--json", action="store_true", help="print JSON")
            sub.add_argument("-v", "--verbose", action="store_true", help="show every catalog")
        sub.set_defaults(func=func)

    review = commands.add_parser("review", help=cmd_review.__doc__, description=cmd_review.__doc__)
    review.add_argument("--lang", required=True, help="the language that was reviewed")
    review.add_argument("--reviewer", required=True, help='who reviewed it: "Name, qualification"')
    review.add_argument("--date", help="the day of the review (default: today), YYYY-MM-DD")
    review.set_defaults(func=cmd_review)
    return parser


def stop(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `generate.py check | head` ends quietly
    signal.signal(signal.SIGTERM, stop)  # `kill` ends a build as cleanly as Ctrl-C
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
