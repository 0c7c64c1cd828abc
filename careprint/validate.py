"""Catalog checks for translators (`generate.py validate`): everything that can be wrong in a .po
file before a handout is built from it, reported as path:line problems.

msgfmt --check; placeholders and **bold** identical to the English; numbers preserved; glossary
terms translated with the language's agreed words; no bidi controls or invisible characters;
the Plural-Forms header right for the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from .content import PLACEHOLDER
from .problems import Problem, error
from .translation import babel_locale_name, known_language, msgfmt_check, plural_forms_problems, translation_problems


@dataclass(frozen=True, slots=True)
class Term:
    english: str
    forms: tuple[str, ...]  # accepted translations; '*' ends a stem

    def in_english(self, text: str) -> bool:
        words = PLACEHOLDER.sub("", text)  # {fever} is a placeholder, not the word
        return re.search(rf"\b{re.escape(self.english)}(s|es)?\b", words, re.IGNORECASE) is not None

    def in_translation(self, text: str) -> bool:
        return any(re.search(form_pattern(form), text, re.IGNORECASE) for form in self.forms)


def form_pattern(form: str) -> str:
    return r"\w*".join(re.escape(part) for part in form.split("*"))


def load_glossary(path: Path, shown: str, problems: list[Problem]) -> list[Term]:
    """locales/<lang>/glossary.yaml: {English term: [accepted forms]}."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(error(shown, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}", "glossary.yaml"))
        return []
    terms = []
    for english, forms in data.items() if isinstance(data, dict) else []:
        forms = [forms] if isinstance(forms, str) else forms
        if not isinstance(english, str) or not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
            problems.append(error(shown, 0, f"glossary entry '{english}' must map an English term to a list of translations", "glossary.entry"))
            continue
        terms.append(Term(english, tuple(forms)))
    return terms


def validate_language(locales: Path, lang: str, root: Path) -> list[Problem]:
    problems: list[Problem] = []
    folder = locales / lang
    if not known_language(lang):
        return [error(f"locales/{lang}", 0, f"'{lang}' is not a language code (use a BCP 47 tag such as es, zh-Hans or pt-BR)", "translation.language")]
    glossary = load_glossary(folder / "glossary.yaml", str((folder / "glossary.yaml").relative_to(root)), problems)
    for path in sorted((folder / "LC_MESSAGES").glob("*.po")):
        shown = str(path.relative_to(root))
        problems += msgfmt_check(path, shown)
        try:
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=babel_locale_name(lang), abort_invalid=True)
        except (PoFileError, ValueError, UnicodeDecodeError) as exc:
            problems.append(error(shown, getattr(exc, "lineno", 0) or 0, f"cannot read catalog: {exc}", "translation.syntax"))
            continue
        problems += check_catalog(catalog, lang, shown, glossary)
    return list(dict.fromkeys(problems))


def check_catalog(catalog: Catalog, lang: str, shown: str, glossary: list[Term]) -> list[Problem]:
    problems = plural_forms_problems(catalog, lang, shown)
    for message in catalog:
        if not message.id or not message.string:
            continue
        line = message.lineno or 0
        problems += [error(shown, line, text, code.replace("content.", "translation.")) for text, code in translation_problems(message.id, message.string)]
        for term in glossary:
            if term.in_english(message.id) and not term.in_translation(message.string):
                problems.append(error(shown, line, f"glossary: '{term.english}' should be translated as {' / '.join(term.forms)}", "translation.glossary"))
    return problems


def glossary_notes(glossary: list[Term], msgid: str) -> list[str]:
    """The #. note that shows a translator the agreed words for the terms in msgid."""
    found = [f"{term.english} = {term.forms[0]}" for term in glossary if term.in_english(msgid)]
    return [f"Glossary: {'; '.join(found)}."] if found else []
