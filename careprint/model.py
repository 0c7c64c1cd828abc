"""The data model passed between stages: plain frozen dataclasses, no behaviour beyond lookups."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

AUDIENCES = ("child", "adult", "caregiver")
PLACEHOLDERS = ("clinic", "day_phone", "night_phone", "fever", "temperature")


@dataclass(frozen=True, slots=True)
class Text:
    """One translatable string, its gettext context and where it was written."""

    value: str
    context: str  # msgctxt, e.g. "call-now.items:child"
    audiences: tuple[str, ...]  # everyone who reads this exact string
    kind: str  # block kind, for translator notes
    path: str
    line: int

    def translated(self, value: str) -> Text:
        return replace(self, value=value)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Block:
    """One block as one audience reads it. Single-string fields hold a 1-tuple."""

    id: str
    kind: str
    line: int
    texts: dict[str, tuple[Text, ...]]
    image: str | None = None

    def one(self, name: str) -> Text | None:
        values = self.texts.get(name, ())
        return values[0] if values else None

    def many(self, name: str) -> tuple[Text, ...]:
        return self.texts.get(name, ())


@dataclass(frozen=True, slots=True)
class Handout:
    """One topic for one audience, in one language."""

    topic: str
    audience: str
    path: str
    title: Text
    reviewed: date
    next_review: date
    sources: tuple[Source, ...]
    blocks: tuple[Block, ...]
    lang: str = "en"

    def texts(self) -> Iterator[Text]:
        """Every translatable string in reading order."""
        yield self.title
        for block in self.blocks:
            for values in block.texts.values():
                yield from values


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    path: str
    handouts: dict[str, Handout] = field(default_factory=dict)  # audience -> handout


@dataclass(frozen=True, slots=True)
class Content:
    topics: tuple[Topic, ...]

    def handouts(self) -> Iterator[Handout]:
        for topic in self.topics:
            yield from topic.handouts.values()


@dataclass(frozen=True, slots=True)
class PageJob:
    """One PDF to write: the HTML, its per-page CSS and font rules, where it goes."""

    html: str
    css: str
    font_css: str
    target: str
    name: str
