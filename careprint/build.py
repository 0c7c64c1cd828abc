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

from . import fonts, readability, render, translation
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

    @property
    def font_cache(self) -> Path:
        return self.root / "build" / ".fonts"


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


def build(project: Project, selection: Selection, settings_path: Path, progress: Progress = lambda _: None, final: bool = False) -> Result:
    """Build the selected handouts; final=True refuses translations nobody has reviewed."""
    result = Result()
    content, result.problems = load_content(project.root)
    settings = load_settings(settings_path, shown_path(settings_path, project.root))
    result.problems += check_selection(project, content, selection)
    readability.ensure_offline_data()
    env = render.environment(project.templates)
    renderer = Renderer(project.templates, [project.font_cache, *fonts.FONT_FOLDERS])
    langs = [lang for lang in all_languages(project) if not selection.langs or lang in selection.langs]
    total = sum(1 for _ in content.handouts() if selection.wants(_)) * len(langs)
    done = 0
    for lang in langs:
        language = None
        if lang != "en":
            language, found = translation.load_language(project.locales, lang, project.root)
            result.problems += found
        pages = []
        for handout in (h for h in content.handouts() if selection.wants(h)):
            target = project.output / lang / handout.audience / f"{handout.topic}.pdf"
            page, problems, advice = prepare(project, handout, language, settings, env, final)
            result.problems += problems + advice
            if page is None:
                target.unlink(missing_ok=True)  # a stale PDF must not pass for this build's output
                result.skipped.append(str(target.relative_to(project.output)))
                done += 1
            else:
                pages.append((page, target))
        faces = fonts.faces_for(lang)
        font_css = fonts.font_css(fonts.face_files(faces, "".join(page.text for page, _ in pages), project.font_cache), faces)
        for page, target in pages:
            done += 1
            name = str(target.relative_to(project.output))
            progress(f"[{done}/{total}] {name}")
            problems = renderer.write(page.html, page.css + font_css, target, str(target.relative_to(project.root)))
            result.problems += problems
            if problems:
                target.unlink(missing_ok=True)
                result.skipped.append(name)
            else:
                result.written.append(target)
    return result


def prepare(project: Project, handout: Handout, language, settings: Settings, env, final: bool) -> tuple[render.Page | None, list[Problem], list[Problem]]:
    """Translate, check fonts, score and render one handout to HTML.

    Returns (the page or None, problems that stopped it, reading-level problems that did not).
    """
    if language is None:
        translated, problems, draft, lookup = handout, [], False, english
        report = readability.assess(handout, "en")
    else:
        translated, problems = translation.translate_handout(handout, language)
        draft = language.review is None
        lookup = ui_lookup(language, problems)
        report = readability.assess(translated, language.lang, language.po_path(handout.topic)) if translated else None
        if final and draft:
            problems.append(
                error(
                    language.folder,
                    0,
                    f"{language.lang}/{handout.audience}/{handout.topic}: translation not reviewed; --final refuses it",
                    "build.not-reviewed",
                )
            )
    advice = readability.gate_problems(report) if report else []
    if translated is None:
        return None, translation.unique(problems), advice
    problems += font_problems(translated, handout, language)
    page, found = render.render(env, translated, settings, lookup, draft, project.images)
    problems += found
    if problems:
        return None, translation.unique(problems), advice
    return page, [], advice


def font_problems(translated: Handout, english_handout: Handout, language) -> list[Problem]:
    """Every character must be drawn by the language's own fonts: no tofu, no silent fallback."""
    faces = fonts.faces_for(translated.lang)
    names = ", ".join(face.family for face in faces)
    problems = []
    for text, source in zip(translated.texts(), english_handout.texts(), strict=True):
        missing = fonts.missing_characters(text.value, faces)
        if not missing:
            continue
        if language is None:
            path, line = text.path, text.line
        else:
            path, line = language.po_path(translated.topic), language.entry_line(translated.topic, source.context, source.value)
        shown = ", ".join(f"'{ch}' U+{ord(ch):04X}" for ch in missing)
        problems.append(error(path, line, f"{shown} not covered by the fonts for '{translated.lang}' ({names})", "font.uncovered"))
    return problems


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
