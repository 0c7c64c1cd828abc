"""Stage 3: gettext catalogs (Babel) and translating handouts without ever falling back to English.

Layout: locales/<domain>.pot and locales/<lang>/LC_MESSAGES/<domain>.po, one domain per topic
(named like the topic file) plus "ui" for the template strings. A translation that is missing,
fuzzy or broken is a problem naming the .po file and line; the handout is not rendered.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract as extract_strings
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, denormalize, normalize, read_po, write_po

from . import render
from .content import PLACEHOLDER, text_problems
from .model import Content, Handout, Text
from .problems import Problem, error, has_errors, warning
from .readability import FORMULAS

UI_DOMAIN = "ui"
PROJECT = "careprint handouts"
# t(context, message, **values) prints markup in templates; attr(context, message) plain text for attributes
TEMPLATE_KEYWORDS = {"t": ((1, "c"), 2), "attr": ((1, "c"), 2)}
READERS = {
    "child": "a child with ALL (use the familiar form of address, e.g. Spanish tú)",
    "adult": "an adult patient (use the polite form, e.g. Spanish usted)",
    "caregiver": "a parent or caregiver of a child with ALL (polite form)",
}
KIND_NAMES = {
    "heading": "heading",
    "paragraph": "paragraph",
    "list": "list item",
    "questions": "question",
    "call_now": "call-right-away box",
    "definition": "definition",
    "figure": "picture text (alt text is read aloud by screen readers)",
}


@dataclass(frozen=True, slots=True)
class Entry:
    string: str
    fuzzy: bool
    line: int


@dataclass(frozen=True, slots=True)
class Review:
    """A qualified reviewer's sign-off on one revision of a language's catalogs."""

    reviewer: str
    date: date
    revision: str  # revision() of the catalogs that were reviewed


@dataclass(frozen=True, slots=True)
class Language:
    """Everything translated for one language: entries per domain, and its review record."""

    lang: str
    folder: str
    domains: dict[str, dict[tuple[str | None, str], Entry]]
    review: Review | None  # only a review of exactly these catalogs
    stale_review: Review | None = None  # a review of an earlier revision

    def po_path(self, domain: str) -> str:
        return f"{self.folder}/LC_MESSAGES/{domain}.po"

    def entry_line(self, domain: str, context: str | None, msgid: str) -> int:
        entry = self.domains.get(domain, {}).get((context, msgid))
        return entry.line if entry else 0


def babel_locale_name(lang: str) -> str:
    """BCP 47 (pt-BR, zh-Hans) as gettext and Babel spell it (pt_BR, zh_Hans)."""
    return lang.replace("-", "_")


def known_language(lang: str) -> bool:
    """A BCP 47 tag that Babel (CLDR) knows: dates, numbers and plural rules exist for it."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(babel_locale_name(lang))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def native_name(lang: str) -> str:
    """The language's name in its own script: español, 中文 (简体), العربية."""
    from babel import Locale

    if lang == "tl":
        return "Tagalog"  # CLDR folds tl into Filipino (fil_PH)
    if not known_language(lang):
        return lang
    locale = Locale.parse(babel_locale_name(lang))
    return locale.get_display_name(locale) or lang


# ---- extract ------------------------------------------------------------------------


def source_date() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)


def new_catalog(domain: str, locale: str | None = None) -> Catalog:
    catalog = Catalog(
        locale=locale,
        domain=domain,
        project=PROJECT,
        version="1",
        msgid_bugs_address="",
        creation_date=source_date(),
        revision_date=source_date(),
        fuzzy=False,
    )
    catalog.header_comment = (
        f"# Patient handouts, catalog '{domain}'.\n# Drafts until a qualified medical translator reviews them:\n# see locales/<lang>/review.yaml and README.md."
    )
    return catalog


def translator_notes(text: Text) -> list[str]:
    readers = ", ".join(text.audiences)
    notes = [f"Reader: {'; '.join(READERS[a] for a in text.audiences)}.", f"Kind: {KIND_NAMES.get(text.kind, text.kind)}."]
    targets = []
    for lang, formula in FORMULAS.items():
        if not formula.gates:
            continue
        strictest = min(formula.gates[a] for a in text.audiences) if formula.higher_is_harder else max(formula.gates[a] for a in text.audiences)
        sign = "<=" if formula.higher_is_harder else ">="
        targets.append(f"{lang} {formula.name} {sign} {strictest:g}")
    notes.append(f"Reading target ({readers}): " + "; ".join(targets) + ".")
    names = PLACEHOLDER.findall(text.value)
    if names:
        notes.append("Keep " + ", ".join("{" + n + "}" for n in names) + " exactly as written: filled in from the clinic settings.")
    if "**" in text.value:
        notes.append("Keep the ** marks around the words that must stay bold.")
    if ".labels:" in (text.context or ""):
        notes.append("A label printed inside the picture: keep it as short as the English, on one line.")
    return notes


def extract(content: Content, templates: Path, root: Path) -> dict[str, Catalog]:
    """One catalog per topic from the content, plus the ui catalog from the templates."""
    catalogs = {}
    for topic in content.topics:
        catalog = new_catalog(topic.slug)
        for handout in topic.handouts.values():
            for text in handout.texts():
                add_message(catalog, text.value, text.context, (text.path, text.line), translator_notes(text))
        catalogs[topic.slug] = catalog
    catalogs[UI_DOMAIN] = extract_templates(templates, root)
    return catalogs


def add_message(catalog: Catalog, msgid: str, context: str | None, location: tuple[str, int], notes: list[str]) -> None:
    flags = ["python-brace-format"] if PLACEHOLDER.search(msgid) else []
    existing = catalog.get(msgid, context=context)
    if existing:
        existing.locations = list(dict.fromkeys([*existing.locations, location]))
        existing.auto_comments = list(dict.fromkeys([*existing.auto_comments, *notes]))
        return
    catalog.add(msgid, context=context, locations=[location], auto_comments=notes, flags=flags)


def extract_templates(templates: Path, root: Path) -> Catalog:
    """Strings of the page itself: t() calls in the templates, Ui.text() calls in render.py."""
    catalog = new_catalog(UI_DOMAIN)
    found = [
        (f"{shown_path(templates, root)}/{name}", *rest)
        for name, *rest in extract_from_dir(
            str(templates),
            method_map=[("**.html", "jinja2.ext:babel_extract")],
            keywords=TEMPLATE_KEYWORDS,
            comment_tags=("Translators:",),
            options_map={"**.html": {"trimmed": "true"}},
        )
    ]
    code = Path(render.__file__)
    with code.open("rb") as handle:
        found += [
            (f"careprint/{code.name}", *rest) for rest in extract_strings("python", handle, keywords={"text": ((1, "c"), 2)}, comment_tags=("Translators:",))
        ]
    for filename, lineno, message, comments, context in found:
        notes = [*comments, "Kind: printed text of the handout page (heading, label or notice)."]
        add_message(catalog, message, context, (filename, lineno), notes)
    return catalog


def shown_path(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def po_text(catalog: Catalog, previous: bool = False) -> str:
    """The catalog as .po text, with any previous English (#|) written as gettext writes it.

    Babel wraps a long previous msgid like a comment, which breaks its quoting; so each one is
    written as a short marker first and then replaced by correctly wrapped #| lines.
    """
    originals = {}
    if previous:
        for number, message in enumerate(m for m in catalog if m.previous_id):
            originals[f"@@previous-{number}@@"] = message.previous_id
            message.previous_id = [f"@@previous-{number}@@"]
    buffer = io.BytesIO()
    try:
        write_po(buffer, catalog, width=79, include_previous=previous, sort_output=False)
    finally:
        for message in catalog:
            if message.previous_id and message.previous_id[0] in originals:
                message.previous_id = originals[message.previous_id[0]]
    text = buffer.getvalue().decode("utf-8")
    for marker, previous_id in originals.items():
        text = text.replace(f'#| msgid "{marker}"', "#| msgid " + normalize(previous_id[0], prefix="#| ", width=118))
    return text


def without_dates(text: str) -> str:
    return re.sub(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', "", text, flags=re.MULTILINE)


def write_if_changed(path: Path, text: str) -> bool:
    """Write text unless only the header dates differ (keeps catalogs quiet in diffs)."""
    if path.exists() and without_dates(path.read_text(encoding="utf-8")) == without_dates(text):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def write_templates(catalogs: dict[str, Catalog], locales: Path) -> list[Path]:
    """Write locales/<domain>.pot files; return the ones that changed."""
    return [locales / f"{domain}.pot" for domain, catalog in catalogs.items() if write_if_changed(locales / f"{domain}.pot", po_text(catalog))]


# ---- update -------------------------------------------------------------------------


def languages(locales: Path) -> list[str]:
    return sorted(p.name for p in locales.iterdir() if (p / "LC_MESSAGES").is_dir()) if locales.is_dir() else []


def update_language(locales: Path, lang: str, templates: dict[str, Catalog], notes=lambda msgid: []) -> list[Path]:
    """Merge the templates into every catalog of lang; changed English becomes fuzzy (#| previous).

    notes(msgid) gives language-specific #. notes (the glossary's agreed words).
    """
    changed = []
    for domain, template in templates.items():
        path = locales / lang / "LC_MESSAGES" / f"{domain}.po"
        kept: dict = {}
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=babel_locale_name(lang), domain=domain)
            kept = previous_ids(path, catalog)
        else:
            catalog = new_catalog(domain, babel_locale_name(lang))
            catalog.last_translator = "Draft translation by the handout project, not reviewed"
        merge(catalog, copy.deepcopy(template))  # Babel adds the template's own message objects: never share them between languages
        for message in catalog:
            if not message.id:
                continue
            message.auto_comments = [c for c in message.auto_comments if not c.startswith("Glossary:")] + notes(message.id)
            if message.fuzzy and not message.previous_id and (message.context, message.id) in kept:
                message.previous_id = [kept[(message.context, message.id)]]  # still fuzzy: keep the old English
        if write_if_changed(path, po_text(catalog, previous=True)):
            changed.append(path)
    return changed


def previous_ids(path: Path, catalog: Catalog) -> dict[tuple[str | None, str], str]:
    """The #| msgid (previous English) of each entry: Babel's reader skips these lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = {}
    for message in catalog:
        if not message.id or not message.lineno:
            continue
        index = message.lineno - 2  # the line before msgid
        while index >= 0 and (lines[index].startswith(('"', "msgctxt"))):
            index -= 1
        block = []
        while index >= 0 and lines[index].startswith("#| "):
            block.insert(0, lines[index][3:])
            index -= 1
        if block and block[0].startswith("msgid "):
            block[0] = block[0][len("msgid ") :]
            found[(message.context, message.id)] = denormalize("\n".join(block))
    return found


def merge(catalog: Catalog, template: Catalog) -> None:
    """Babel's exact merge, then fuzzy matching only within the same msgctxt.

    The context names the block, field and readers, so an edited sentence is matched to
    the old sentence of the same block, never to another reader's wording.
    """
    catalog.update(template, no_fuzzy_matching=True)
    removed: dict[str | None, list[Message]] = {}
    for message in catalog.obsolete.values():
        if message.string:
            removed.setdefault(message.context, []).append(message)
    for message in catalog:
        if not message.id or message.string or not removed.get(message.context):
            continue
        candidates = removed[message.context]
        ids = [c.id for c in candidates]
        best = difflib.get_close_matches(message.id, ids, n=1, cutoff=0.0)[0] if len(ids) > 1 else ids[0]
        old = candidates.pop(ids.index(best))
        message.string = old.string
        if old.id != message.id or old.fuzzy:  # the same English back again (a block restored) keeps its reviewed state
            message.previous_id = [old.id]
            message.flags.add("fuzzy")
        del catalog.obsolete[(old.id, old.context) if old.context else old.id]


# ---- compile ------------------------------------------------------------------------


def msgfmt_check(path: Path, shown: str) -> list[Problem]:
    """Run GNU msgfmt --check (syntax, headers, python-brace-format placeholders)."""
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        return [error(shown, 0, "msgfmt not found: install the 'gettext' package (the README's first command does)", "translation.msgfmt-missing")]
    result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False)
    problems = []
    for line in result.stderr.splitlines():
        match = re.match(r"^.*?:(\d+): (warning: )?(.*)$", line)
        if match and "fatal error" not in line:
            report = warning if match.group(2) else error
            problems.append(report(shown, int(match.group(1)), f"msgfmt: {match.group(3)}", "translation.msgfmt"))
    if result.returncode and not has_errors(problems):
        problems.append(error(shown, 0, f"msgfmt --check failed: {result.stderr.strip()}", "translation.msgfmt"))
    return problems


def compile_language(locales: Path, lang: str, root: Path) -> list[Problem]:
    """Check every catalog of lang with msgfmt, then write the .mo files (fuzzy entries left out)."""
    problems = []
    for path in sorted((locales / lang / "LC_MESSAGES").glob("*.po")):
        shown = str(path.relative_to(root))
        found = msgfmt_check(path, shown)
        problems += found
        if has_errors(found):
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=babel_locale_name(lang))
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    return problems


# ---- load and translate -------------------------------------------------------------


def load_language(locales: Path, lang: str, root: Path, cache: Path | None = None) -> tuple[Language, list[Problem]]:
    """Every catalog of lang, checked; cache (a folder) keeps parsed catalogs by content hash."""
    folder = locales / lang
    shown_folder = str(folder.relative_to(root))
    if not known_language(lang):
        message = f"'{lang}' is not a language code (use a BCP 47 tag such as es, zh-Hans or pt-BR)"
        return Language(lang, shown_folder, {}, None), [error(shown_folder, 0, message, "translation.language")]
    problems: list[Problem] = []
    domains = {}
    for path in sorted((folder / "LC_MESSAGES").glob("*.po")):
        entries, found = read_catalog(path, str(path.relative_to(root)), lang, cache / "catalogs" / lang if cache else None)
        problems += found
        if entries is not None:
            domains[path.stem] = entries
    review = load_review(folder / "review.yaml", root, problems)
    if review and review.revision != revision(domains):
        shown = f"{shown_folder}/review.yaml"
        message = (
            f"the review by {review.reviewer} on {review.date} was of other catalogs (the English or a translation "
            f"changed since): '{lang}' prints as a draft until it is reviewed again"
        )
        problems.append(warning(shown, 0, message, "review.stale"))
        return Language(lang, shown_folder, domains, None, review), problems
    return Language(lang, shown_folder, domains, review), problems


def read_catalog(path: Path, shown: str, lang: str, cache: Path | None) -> tuple[dict | None, list[Problem]]:
    """One catalog's entries (None if it is broken) and its problems, from the cache when unchanged."""
    data = path.read_bytes()
    key = hashlib.sha256(data + lang.encode()).hexdigest()
    cached = cache / f"{path.stem}.json" if cache else None
    if cached and cached.exists():
        try:
            stored = json.loads(cached.read_text(encoding="utf-8"))
            if stored["key"] == key:
                problems = [Problem(**p) for p in stored["problems"]]
                entries = None if stored["entries"] is None else {(c, i): Entry(s, f, n) for c, i, s, f, n in stored["entries"]}
                return entries, problems
        except (ValueError, KeyError, TypeError):
            pass  # a damaged cache is rebuilt
    entries, problems = parse_catalog(path, shown, lang)
    if cached:
        rows = None if entries is None else [[c, i, e.string, e.fuzzy, e.line] for (c, i), e in entries.items()]
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps({"key": key, "entries": rows, "problems": [asdict(p) for p in problems]}), encoding="utf-8")
    return entries, problems


def parse_catalog(path: Path, shown: str, lang: str) -> tuple[dict | None, list[Problem]]:
    found = msgfmt_check(path, shown)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=babel_locale_name(lang), abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        found = found or [error(shown, line, f"cannot read catalog: {exc}", "translation.syntax")]
    if not has_errors(found):
        found += plural_forms_problems(catalog, lang, shown)
    if has_errors(found):
        return None, found  # a broken catalog translates nothing
    return {(m.context, m.id): Entry(m.string, m.fuzzy, m.lineno or 0) for m in catalog if m.id}, found


def plural_forms_problems(catalog: Catalog, lang: str, shown: str) -> list[Problem]:
    """The Plural-Forms header must be the one CLDR gives for the language."""
    header = next((value for key, value in catalog.mime_headers if key == "Plural-Forms"), None)
    expected = Catalog(locale=babel_locale_name(lang)).plural_forms
    if header is None or header.replace(" ", "") != expected.replace(" ", ""):
        return [error(shown, 1, f"Plural-Forms header is '{header}', expected '{expected}' for {lang}", "translation.plural-forms")]
    return []


def revision(domains: dict[str, dict[tuple[str | None, str], Entry]]) -> str:
    """A fingerprint of every entry (English, translation, fuzzy flag) of a language."""
    digest = hashlib.sha256()
    for domain in sorted(domains):
        for (context, msgid), entry in sorted(domains[domain].items(), key=lambda item: (item[0][0] or "", item[0][1])):
            digest.update(repr((domain, context, msgid, entry.string, entry.fuzzy)).encode())
    return digest.hexdigest()[:16]


def record_review(locales: Path, language: Language, reviewer: str, day: date) -> Path:
    """Write locales/<lang>/review.yaml for the catalogs as they are now."""
    path = locales / language.lang / "review.yaml"
    text = (
        "# Review record: a qualified medical translator checked these catalogs.\n"
        "# It stops counting as soon as any entry changes (see 'revision').\n"
        + yaml.safe_dump({"reviewer": reviewer, "date": day, "revision": revision(language.domains)}, allow_unicode=True, sort_keys=False)
    )
    path.write_text(text, encoding="utf-8")
    return path


def load_review(path: Path, root: Path, problems: list[Problem]) -> Review | None:
    """locales/<lang>/review.yaml: who reviewed the translation, and when."""
    if not path.exists():
        return None
    shown = str(path.relative_to(root))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problems.append(error(shown, 1, f"not valid YAML: {exc}", "review.yaml"))
        return None
    data = data if isinstance(data, dict) else {}
    reviewer, reviewed, rev = data.get("reviewer"), data.get("date"), data.get("revision")
    if not isinstance(reviewer, str) or not reviewer.strip() or not isinstance(reviewed, date) or not isinstance(rev, str):
        message = "a review record needs 'reviewer' (name and qualification), 'date' (YYYY-MM-DD) and 'revision' (write it with: generate.py review)"
        problems.append(error(shown, 1, message, "review.fields"))
        return None
    return Review(reviewer.strip(), reviewed, rev)


def lookup(language: Language, domain: str, context: str | None, msgid: str, where: str) -> tuple[str | None, list[Problem]]:
    """The translation of one message, or None and the problem that stops it being printed."""
    path = language.po_path(domain)
    entries = language.domains.get(domain)
    if entries is None:
        return None, [error(path, 0, f"catalog missing or unreadable (run: generate.py update --lang {language.lang})", "translation.no-catalog")]
    entry = entries.get((context, msgid))
    label = f'msgctxt "{context}" ({where})' if context else f'"{shorten(msgid)}" ({where})'
    if entry is None:
        return None, [error(path, 0, f"no entry for {label}; run: generate.py update", "translation.missing")]
    if not entry.string:
        return None, [error(path, entry.line, f"untranslated: {label}", "translation.missing")]
    if entry.fuzzy:
        return None, [error(path, entry.line, f"fuzzy (the English changed; check and remove the fuzzy flag): {label}", "translation.fuzzy")]
    broken = [
        error(path, entry.line, f"{message}: {label}", code.replace("content.", "translation.")) for message, code in translation_problems(msgid, entry.string)
    ]
    return (None, broken) if broken else (entry.string, [])


def shorten(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


NUMBER = re.compile(r"\d(?:[\d,.\u00a0\u202f\u2009 ]*\d)?")


def numbers(text: str) -> list[str]:
    """Every number as its digits, separators dropped, any script's digits read as ASCII."""
    ascii_text = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)
    return sorted(re.sub(r"\D", "", match) for match in NUMBER.findall(ascii_text))


@cache  # the page strings are checked for every handout of a language
def translation_problems(english: str, translated: str) -> tuple[tuple[str, str], ...]:
    """A translation keeps the English placeholders, bold markup and numbers, and follows the text rules.

    A changed number (a temperature, a phone number, a dose) is never printed.
    """
    found = text_problems(translated, placeholders=None, max_length=4 * max(len(english), 500))
    if Counter(PLACEHOLDER.findall(english)) != Counter(PLACEHOLDER.findall(translated)):
        found.append((f"placeholders differ from the English ({', '.join(PLACEHOLDER.findall(english)) or 'none'})", "content.placeholder"))
    if english.count("**") != translated.count("**"):
        found.append(("bold markup (**) differs from the English", "content.markup"))
    if numbers(english) != numbers(translated):
        found.append((f"numbers differ from the English: {numbers(english)} vs {numbers(translated)}", "content.numbers"))
    return tuple(found)


def translate_handout(handout: Handout, language: Language) -> tuple[Handout | None, list[Problem]]:
    """The handout with every string translated, or None and every problem found."""
    problems: list[Problem] = []

    def translated(text: Text) -> Text:
        value, found = lookup(language, handout.topic, text.context, text.value, f"{text.path}:{text.line}")
        problems.extend(found)
        return text.translated(value or text.value)

    title = translated(handout.title)
    blocks = tuple(
        type(block)(block.id, block.kind, block.line, {name: tuple(translated(t) for t in values) for name, values in block.texts.items()}, block.image)
        for block in handout.blocks
    )
    if problems:
        return None, unique(problems)
    return type(handout)(
        handout.topic, handout.audience, handout.path, title, handout.reviewed, handout.next_review, handout.sources, blocks, language.lang
    ), []


def unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


# ---- status -------------------------------------------------------------------------


def entry_state(language: Language, domain: str, context: str | None, msgid: str) -> str:
    """'translated', 'fuzzy' or 'untranslated' (missing, empty or broken entries count as untranslated)."""
    entry = language.domains.get(domain, {}).get((context, msgid))
    if entry is None or not entry.string or translation_problems(msgid, entry.string):
        return "untranslated"
    return "fuzzy" if entry.fuzzy else "translated"


def status(templates: dict[str, Catalog], language: Language) -> dict[str, Counter]:
    """Counts of translated, fuzzy and untranslated messages per domain."""
    return {domain: Counter(entry_state(language, domain, m.context, m.id) for m in catalog if m.id) for domain, catalog in templates.items()}


def handout_status(content: Content, language: Language) -> dict[tuple[str, str], Counter]:
    """Counts per (topic, audience): what a handout still needs before it can be built."""
    return {(h.topic, h.audience): Counter(entry_state(language, h.topic, t.context, t.value) for t in dict.fromkeys(h.texts())) for h in content.handouts()}
