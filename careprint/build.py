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

from babel.dates import format_date

from . import catalog, fonts, incremental, readability, reading_report, render, translation
from .content import load_content
from .model import Content, Handout, PageJob
from .problems import Problem, error
from .settings import Settings, babel_locale, load_settings, temperature

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
    unchanged: list[Path] = field(default_factory=list)  # up to date: inputs unchanged since they were built
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


KINDS = ("handouts", "bilingual", "packets")


@dataclass(frozen=True, slots=True)
class Options:
    final: bool = False  # refuse translations nobody has reviewed
    workers: int = 1  # processes rendering PDFs
    shard: tuple[int, int] = (1, 1)  # build only part K of N
    force: bool = False  # rebuild even what is up to date
    kinds: tuple[str, ...] = KINDS  # handouts, bilingual handouts (English + one language), packets


def build(project: Project, selection: Selection, settings_path: Path, progress: Progress = lambda _: None, options: Options = Options()) -> Result:
    """Build the selected handouts, skipping those whose inputs have not changed."""
    with incremental.build_lock(project.output, lambda: progress("waiting for another build of this project to finish")):
        incremental.remove_stale_temporaries(project.output)
        manifest = incremental.Manifest(project.output / ".manifest.json")
        try:
            result = build_locked(project, selection, settings_path, progress, options, manifest)
        finally:
            manifest.save()
        write_pages(project, manifest.summaries())
        return result


def write_pages(project: Project, entries: list[dict]) -> None:
    """The pages that describe the whole build (every PDF in the manifest, not only this run's)."""
    catalog.write_catalog(project.output, entries, project.templates)
    reading_report.write_readability_report(project.output, entries, project.templates)


@dataclass
class Run:
    """One build run: what it reads, and where its jobs and findings go."""

    project: Project
    content: Content
    selection: Selection
    settings: Settings
    options: Options
    manifest: incremental.Manifest
    environment: str  # fingerprint shared by every PDF
    env: object  # the Jinja environment
    writer: object  # takes PageJobs
    result: Result
    pending: dict = field(default_factory=dict)  # name -> (fingerprint, advice, summary) of each job given to the writer
    progress: Progress = lambda _: None

    def wants(self, kind: str) -> bool:
        return kind in self.options.kinds

    def submit(self, name: str, fingerprint: str, page, font_css: str, advice: list[Problem], about: dict) -> None:
        self.pending[name] = (fingerprint, advice, about)
        self.writer.submit(PageJob(page.html, page.css, font_css, str(self.project.output / name), name))

    def is_current(self, name: str, fingerprint: str) -> bool:
        if self.options.force or not self.manifest.is_current(self.project.output / name, name, fingerprint):
            return False
        self.result.unchanged.append(self.project.output / name)
        self.result.problems += self.manifest.advice(name)
        return True

    def give_up(self, name: str) -> None:
        (self.project.output / name).unlink(missing_ok=True)  # a stale PDF must not pass for this build's output
        self.manifest.forget(name)
        self.result.skipped.append(name)


def build_locked(project, selection, settings_path, progress, options, manifest) -> Result:
    result = Result()
    content, result.problems = load_content(project.root)
    settings = load_settings(settings_path, shown_path(settings_path, project.root))
    result.problems += check_selection(project, content, selection)
    environment = incremental.environment_fingerprint(project.templates, settings_path)
    env = render.environment(project.templates)
    with LazyPdfWriter(project, options.workers) as writer:
        run = Run(project, content, selection, settings, options, manifest, environment, env, writer, result, progress=progress)
        prepare_all(run)
        record_results(project, writer, run.pending, manifest, result, progress)
    return result


class JobList(list):
    """Stands in for the PDF writer: keeps the jobs instead of rendering them."""

    submit = list.append


def page_jobs(project: Project, selection: Selection, settings_path: Path, kinds: tuple[str, ...] = KINDS) -> list[PageJob]:
    """Every page a forced build would render (HTML and CSS), rendering none: for the benchmark and tests.

    Like a build, it removes the old PDF of a handout that cannot be made; the manifest is left as it was.
    """
    content, _ = load_content(project.root)
    settings = load_settings(settings_path, shown_path(settings_path, project.root))
    environment = incremental.environment_fingerprint(project.templates, settings_path)
    manifest = incremental.Manifest(project.output / ".manifest.json")  # read, never saved
    jobs = JobList()
    options = Options(force=True, kinds=kinds)
    prepare_all(Run(project, content, selection, settings, options, manifest, environment, render.environment(project.templates), jobs, Result()))
    return jobs


def prepare_all(run: Run) -> None:
    """Prepare every selected PDF that is out of date and hand it to the writer."""
    project, selection = run.project, run.selection
    english = Fonts.of(run, "en", None)
    for lang in [lang for lang in all_languages(project) if not selection.langs or lang in selection.langs]:
        faces = fonts.faces_for(lang)
        unusable = language_problems(project, lang, faces)
        if unusable:
            run.result.problems += unusable
            run.result.skipped += [f"{lang}/{h.audience}/{h.topic}.pdf" for h in run.content.handouts() if selection.wants(h)]
            continue
        run.progress(f"preparing {lang} ({len(run.pending)} PDF(s) handed to the renderer so far)")
        language = None
        if lang != "en":
            language, found = translation.load_language(project.locales, lang, project.root, project.output / ".cache")
            run.result.problems += found
        own = english if language is None else Fonts.of(run, lang, language)
        chosen = [h for h in run.content.handouts() if selection.wants(h)]
        members = [prepare_handout(run, handout, language, own) for handout in in_shard(chosen, run.options.shard)]
        # packets before bilingual handouts: the long jobs early, so no core waits for one at the end
        if run.wants("packets"):
            prepare_packets(run, lang, language, own, chosen, members)
        if language is not None and run.wants("bilingual"):
            for member in members:
                prepare_bilingual(run, member, own, english)


@dataclass(frozen=True, slots=True)
class Fonts:
    """A language's font files, their @font-face rules, and the paths that go into fingerprints."""

    faces: tuple
    files: list
    css: str

    @property
    def paths(self) -> list[Path]:
        return [path for _, _, path in self.files]

    @classmethod
    def of(cls, run: Run, lang: str, language) -> Fonts:
        faces = fonts.faces_for(lang)
        files = fonts.face_files(faces, language_text(run.content, language, run.settings, lang), run.project.font_cache)
        return cls(faces, files, fonts.font_css(files, faces))


@dataclass
class Member:
    """One handout of a language, as a part of bilingual handouts and packets.

    It is translated only when one of those must be made: a rebuild with nothing to do
    translates nothing.
    """

    handout: Handout
    language: object
    fingerprint: str
    translated: Handout | None = None
    failed: bool = False  # its own handout could not be made: nothing is made of it either

    def ready(self) -> Handout | None:
        """The handout in the language, or None when it cannot be printed (its own build says why)."""
        if self.translated is None and not self.failed:
            self.translated = self.handout if self.language is None else translation.translate_handout(self.handout, self.language)[0]
        return self.translated


def prepare_handout(run: Run, handout: Handout, language, own: Fonts) -> Member:
    lang = "en" if language is None else language.lang
    name = f"{lang}/{handout.audience}/{handout.topic}.pdf"
    member = Member(handout, language, incremental.handout_fingerprint(run.environment, handout, language, own.paths, run.options.final))
    if run.wants("handouts") and not run.is_current(name, member.fingerprint):
        page, problems, advice, report, member.translated = prepare(run.project, handout, language, run.settings, run.env, run.options.final)
        run.result.problems += problems + advice
        member.failed = page is None
        if page is None:
            run.give_up(name)
        else:
            run.submit(name, member.fingerprint, page, own.css, advice, summary(handout, lang, language, report, page))
    return member


def prepare_bilingual(run: Run, member: Member, own: Fonts, english: Fonts) -> None:
    handout, language, layout = member.handout, member.language, run.settings.bilingual_layout
    name = f"bilingual/{language.lang}/{handout.audience}/{handout.topic}.pdf"
    english_fingerprint = incremental.handout_fingerprint(run.environment, handout, None, english.paths, run.options.final)
    combined = incremental.combined_fingerprint("bilingual", layout, member.fingerprint, english_fingerprint)
    if not member.failed and run.is_current(name, combined):
        return
    translated = member.ready()
    draft = language.review is None
    page, problems = (
        (None, [])
        if translated is None
        else render.render_bilingual(run.env, handout, translated, run.settings, ui_lookup(language, []), draft, run.project.images, layout)
    )
    if page is None or blocked(run, language, draft, problems):
        run.result.problems += problems
        run.give_up(name)
        return
    about = {"kind": "bilingual", "lang": language.lang, "audience": handout.audience, "topic": handout.topic, "title": page.title, "layout": layout}
    run.submit(name, combined, page, fonts.bilingual_font_css(own.files, own.faces, english.files, english.faces), [], {**about, "status": status_of(language)})


def prepare_packets(run: Run, lang: str, language, own: Fonts, chosen: list[Handout], all_members: list[Member]) -> None:
    """One PDF per reader with every topic of the language, when this shard has them all."""
    for audience in dict.fromkeys(member.handout.audience for member in all_members):
        members = [member for member in all_members if member.handout.audience == audience]
        expected = [h.topic for h in chosen if h.audience == audience]
        if [member.handout.topic for member in members] != expected:
            continue  # this shard does not have every topic
        name = f"packets/{lang}/{audience}.pdf"
        combined = incremental.combined_fingerprint("packet", *(member.fingerprint for member in members))
        if not any(member.failed for member in members) and run.is_current(name, combined):
            continue
        handouts = [member.ready() for member in members]
        draft = language is not None and language.review is None
        lookup = english if language is None else ui_lookup(language, [])
        page, problems = (None, []) if None in handouts else render.render_packet(run.env, handouts, run.settings, lookup, draft, run.project.images)
        if page is None or blocked(run, language, draft, problems):
            run.result.problems += problems
            run.give_up(name)
            continue
        about = {"kind": "packet", "lang": lang, "audience": audience, "topic": None, "title": page.title, "status": status_of(language)}
        run.submit(name, combined, page, own.css, [], about)


def blocked(run: Run, language, draft: bool, problems: list[Problem]) -> bool:
    """A bilingual page or packet is not printed with problems, nor as a draft under --final."""
    return bool(problems) or (run.options.final and draft)


def status_of(language) -> str:
    return "source" if language is None else ("draft" if language.review is None else "reviewed")


class LazyPdfWriter:
    """A PdfWriter started at the first job: a build with nothing to render never imports WeasyPrint."""

    def __init__(self, project: Project, workers: int):
        self.arguments = (project.templates, [project.font_cache, *fonts.FONT_FOLDERS], workers)
        self.writer = None

    def submit(self, job: PageJob) -> None:
        if self.writer is None:
            from .pdf import PdfWriter

            self.writer = PdfWriter(*self.arguments)
        self.writer.submit(job)

    def results(self):
        return self.writer.results() if self.writer else iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.writer is not None:
            self.writer.__exit__(*exc)


def record_results(project: Project, writer, pending: dict, manifest, result: Result, progress: Progress) -> None:
    for number, (name, problems, pages) in enumerate(writer.results(), 1):
        progress(f"[{number}/{len(pending)}] {name}")
        target = project.output / name
        result.problems += problems
        if problems:
            target.unlink(missing_ok=True)
            manifest.forget(name)
            result.skipped.append(name)
        else:
            fingerprint, advice, about = pending[name]
            manifest.record(name, fingerprint, advice, {**about, "pages": pages})
            result.written.append(target)


def summary(handout: Handout, lang: str, language, report, page) -> dict:
    """What the catalog page and the readability report say about one built handout."""
    return {
        "kind": "handout",
        "lang": lang,
        "audience": handout.audience,
        "topic": handout.topic,
        "title": page.title,
        "status": status_of(language),
        "report": report.as_dict() if report else None,
    }


def language_problems(project: Project, lang: str, faces) -> list[Problem]:
    """Why a whole language cannot be built: a folder name that is no language, a font not installed."""
    if lang != "en" and not translation.known_language(lang):
        message = f"'{lang}' is not a language code (use a BCP 47 tag such as es, zh-Hans or pt-BR)"
        return [error(f"locales/{lang}", 0, message, "translation.language")]
    missing = fonts.missing_files(faces)
    return [error(str(path), 0, f"font file not found, so '{lang}' cannot be printed (./install.sh installs it)", "font.missing") for path in missing]


def in_shard(handouts: list[Handout], shard: tuple[int, int]) -> list[Handout]:
    """Part K of N: every N-th handout, so each part gets a similar mix of topics and readers."""
    part, parts = shard
    return [handout for number, handout in enumerate(handouts) if number % parts == part - 1]


def language_text(content: Content, language, settings: Settings, lang: str) -> str:
    """Every character a language's handouts can print: the font subset is cut to these.

    Taken from the catalogs (not from the pages being built), so a partial or sharded build cuts
    the same subset as a full one and its PDFs are byte-identical.
    """
    if language is None:
        strings = [text.value for handout in content.handouts() for text in handout.texts()]
    else:
        strings = [entry.string for entries in language.domains.values() for entry in entries.values()]
    locale = babel_locale(lang, settings.country)
    dates = [format_date(day, format="long", locale=locale) for h in content.handouts() for day in (h.reviewed, h.next_review)]
    clinic = [settings.clinic_name, settings.day_phone, settings.night_phone, temperature(settings.fever_celsius, locale, settings.country)]
    return "".join(strings + dates + clinic)


def prepare(project: Project, handout: Handout, language, settings: Settings, env, final: bool) -> tuple[render.Page | None, list[Problem], list[Problem]]:
    """Translate, check fonts, score and render one handout to HTML.

    Returns (the page or None, problems that stopped it, reading-level problems that did not,
    the reading-level report, the translated handout when it can be printed).
    """
    readability.ensure_offline_data()
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
        return None, translation.unique(problems), advice, report, None
    problems += font_problems(translated, handout, language)
    page, found = render.render(env, translated, settings, lookup, draft, project.images)
    problems += found
    if problems:
        return None, translation.unique(problems), advice, report, None
    return page, [], advice, report, translated


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
