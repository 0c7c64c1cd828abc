"""Clinic settings (clinic.yaml): name, phone numbers, fever rule, paper size."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal

from .problems import CareprintError, error

# Countries that print on US Letter; everyone else uses A4.
LETTER_COUNTRIES = {"US", "CA", "MX", "PH"}
# Countries that read Fahrenheit first.
FAHRENHEIT_COUNTRIES = {"US", "LR", "FM", "MH", "PW", "BS", "KY", "BZ"}


@dataclass(frozen=True, slots=True)
class Settings:
    clinic_name: str
    day_phone: str
    night_phone: str
    country: str
    fever_celsius: float
    fever_minutes: int | None
    paper: str  # "letter" or "a4"
    path: str
    bilingual_layout: str = "alternating"  # or "side-by-side": how bilingual handouts pair the two languages


def load_settings(path: Path, shown: str) -> Settings:
    """Read clinic.yaml; raise CareprintError naming every problem."""
    problems = []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CareprintError([error(shown, 0, "clinic settings file not found (copy clinic.yaml from the project)", "settings.missing")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CareprintError([error(shown, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}", "settings.yaml")]) from None
    data = data if isinstance(data, dict) else {}
    clinic = data.get("clinic") if isinstance(data.get("clinic"), dict) else {}
    fever = data.get("fever") if isinstance(data.get("fever"), dict) else {}

    def text(key: str) -> str:
        value = clinic.get(key)
        if not isinstance(value, (str, int)) or not str(value).strip():
            problems.append(error(shown, 0, f"clinic.{key} is missing", "settings.missing-key"))
            return ""
        return str(value).strip()

    name, day, night = text("name"), text("day_phone"), text("night_phone")
    for key, value in (("day_phone", day), ("night_phone", night)):
        if value and not re.fullmatch(r"[0-9+()\-. ]{3,25}", value):
            problems.append(error(shown, 0, f"clinic.{key} '{value}' must be digits, spaces and + ( ) - .", "settings.phone"))
    country = str(clinic.get("country", "US")).upper()
    celsius = fever.get("celsius")
    if not isinstance(celsius, (int, float)) or not 37.5 <= celsius <= 39.5:
        problems.append(error(shown, 0, "fever.celsius must be a temperature between 37.5 and 39.5", "settings.fever"))
        celsius = 38.0
    minutes = fever.get("minutes")
    if minutes is not None and (not isinstance(minutes, int) or minutes <= 0):
        problems.append(error(shown, 0, "fever.minutes must be a whole number of minutes", "settings.fever"))
        minutes = None
    paper = str(data.get("paper") or ("letter" if country in LETTER_COUNTRIES else "a4")).lower()
    if paper not in ("letter", "a4"):
        problems.append(error(shown, 0, f"paper must be letter or a4, not '{paper}'", "settings.paper"))
    layout = str(data.get("bilingual") or "alternating").lower()
    if layout not in ("alternating", "side-by-side"):
        problems.append(error(shown, 0, f"bilingual must be alternating or side-by-side, not '{layout}'", "settings.bilingual"))
    if problems:
        raise CareprintError(problems)
    return Settings(name, day, night, country, float(celsius), minutes, paper, shown, layout)


@cache  # asked for every page and date: parse the CLDR data once
def babel_locale(lang: str, country: str) -> Locale:
    """The locale for numbers and dates: the language as used in the clinic's country."""
    base = lang.replace("-", "_")
    for candidate in (f"{base}_{country}", base):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def temperature(celsius: float, locale: Locale, country: str) -> str:
    """'100.4 °F (38.0 °C)' in the US, '38,0 °C (100,4 °F)' elsewhere; numbers per locale."""
    fahrenheit = celsius * 9 / 5 + 32
    c = f"{format_decimal(celsius, format='0.0', locale=locale)}\u00a0°C"
    f = f"{format_decimal(fahrenheit, format='0.0', locale=locale)}\u00a0°F"
    return f"{f} ({c})" if country in FAHRENHEIT_COUNTRIES else f"{c} ({f})"
