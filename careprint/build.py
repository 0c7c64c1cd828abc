"""The build: the one place that runs every stage, for each language x audience x topic.

load + validate content -> readability gate -> translate -> render HTML -> PDF
Handouts with errors are skipped (never printed in English or half translated); every
problem is collected and returned, and the caller decides what is fatal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import readability, render, translation
from .content import load_content
from .model import Content, Handout
from .pdf import Renderer
from .problems import Problem, error
from .settings import Settings, load_settings

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Project:
    """Where things live: the folders a project is made of."""

    root: Path

    @property
    def handouts(self) -> Path:
        return self.root / "handouts"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def images(self) -> Path:
        return self.root / "templates" / "images"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def output(self) -> Path:
        return self.root / "build"


@dataclass(frozen=True, slots=True)
class Selection:
    langs: list[str] | None = None
    audiences: list[str] | None = None
    topics: list[str] | None = None

    def wants(self, handout: Handout) -> bool:
        return (not self.audiences or handout.audience in self.audiences) and (not self.topics or handout.topic in self.topics)


@dataclass
class Result:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def all_languages(project: Project) -> list[str]:
    return ["en", *translation.languages(project.locales)]


def check_selection(project: Project, content: Content, selection: Selection) -> list[Problem]:
    known_langs = all_languages(project)
    known_topics = {t.slug for t in content.topics}
    problems = [
        error("--lang", 0, f"unknown language '{lang}' (have: {', '.join(known_langs)})", "usage.lang")
        for lang in selection.langs or []
        if lang not in known_langs
    ]
    problems += [
        error("--topic", 0, f"unknown topic '{topic}' (have: {', '.join(sorted(known_topics))})", "usage.topic")
        for topic in selection.topics or []
        if topic not in known_topics
    ]
    return problems


def build(project: Project, selection: Selection, settings_path: Path, progress: Progress = lambda _: None) -> Result:
    result = Result()
    content, result.problems = load_content(project.root)
    settings = load_settings(settings_path, shown_path(settings_path, project.root))
    result.problems += check_selection(project, content, selection)
    readability.ensure_offline_data()
    env = render.environment(project.templates)
    renderer = Renderer(project.templates)
    langs = [lang for lang in all_languages(project) if not selection.langs or lang in selection.langs]
    jobs = [(lang, h) for lang in langs for h in content.handouts() if selection.wants(h)]
    languages = {}
    for lang in langs:
        if lang != "en":
            languages[lang], found = translation.load_language(project.locales, lang, project.root)
            result.problems += found
    for number, (lang, handout) in enumerate(jobs, 1):
        name = f"{lang}/{handout.audience}/{handout.topic}.pdf"
        progress(f"[{number}/{len(jobs)}] {name}")
        problems, advice = build_one(project, handout, languages.get(lang), settings, env, renderer, project.output / name)
        result.problems += problems + advice
        if problems:
            result.skipped.append(name)
        else:
            result.written.append(project.output / name)
    return result


def build_one(project: Project, handout: Handout, language, settings: Settings, env, renderer: Renderer, target: Path) -> tuple[list[Problem], list[Problem]]:
    """Translate, score, render and write one handout.

    Returns (problems that stopped the PDF, reading-level problems that did not). A stopped
    handout has no PDF: an old one is removed so it cannot pass for this build's output.
    """
    if language is None:
        translated, problems, draft, lookup = handout, [], False, english
        report = readability.assess(handout, "en")
    else:
        translated, problems = translation.translate_handout(handout, language)
        draft = language.review is None
        lookup = ui_lookup(language, problems)
        report = readability.assess(translated, language.lang, language.po_path(handout.topic)) if translated else None
    advice = readability.gate_problems(report) if report else []
    if translated is not None:
        page, found = render.render(env, translated, settings, lookup, draft, project.images)
        problems += found
        if page is not None and not problems:
            problems += renderer.write(page.html, page.css, target, str(target.relative_to(project.root)))
    if problems:
        target.unlink(missing_ok=True)
    return translation.unique(problems), advice


def english(context: str, message: str) -> str:
    return message


def ui_lookup(language, problems: list[Problem]) -> render.UiLookup:
    def lookup(context: str, message: str) -> str | None:
        value, found = translation.lookup(language, translation.UI_DOMAIN, context, message, "templates/handout.html")
        problems.extend(found)
        return value

    return lookup


def shown_path(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def print_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
