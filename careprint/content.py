"""Stage 1: load and validate the content blocks in handouts/.

The format is documented in handouts/README.md. Every problem found is collected and
returned with its file and line; nothing is built from a topic that has an error.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from .model import AUDIENCES, PLACEHOLDERS, Block, Content, Handout, Source, Text, Topic
from .problems import Problem, error, warning

SOURCES_FILE = "sources.yaml"
ORDER_FILE = "order.yaml"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: the same nodes, faster
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Which fields each block kind has: "string" (one text), "strings" (a list of texts).
# A trailing "?" marks an optional field.
KINDS: dict[str, dict[str, str]] = {
    "heading": {"text": "string"},
    "paragraph": {"text": "string"},
    "list": {"items": "strings"},
    "questions": {"items": "strings"},
    "call_now": {"title": "string", "items": "strings"},
    "definition": {"term": "string", "meaning": "string"},
    "figure": {"alt": "string", "caption": "string?", "labels": "strings?"},
}
TOPIC_KEYS = {"title", "reviewed", "next_review", "sources", "blocks"}

# Words that must never reach a child's handout (FACTS.md audience tags: no drug names,
# no survival figures or prognosis), and words that must not appear anywhere (FACTS.md
# section 2: wrong drug, brands, company names).
CHILD_FORBIDDEN = re.compile(
    r"\b(vincristine|prednisone|dexamethasone|asparaginase|pegaspargase|daunorubicin|"
    r"doxorubicin|methotrexate|mercaptopurine|cytarabine|cyclophosphamide|imatinib|"
    r"dasatinib|ponatinib|nilotinib|blinatumomab|inotuzumab|tisagenlecleucel|"
    r"brexucabtagene|obecabtagene|allopurinol|rasburicase|acetaminophen|ibuprofen|"
    r"paracetamol|survival|survive|prognosis|die|dies|death|dying|percent)\b|%",
    re.IGNORECASE,
)
FORBIDDEN = re.compile(
    r"\b(azacitidine|phyrago|sprycel|blincyto|kymriah|tecartus|aucatzyl|besponsa|amgen|"
    r"novartis|battle|fault of)\b",
    re.IGNORECASE,
)
INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
CODE_LIKE = re.compile(r"url\(|javascript:|expression\(|@import|data:[a-z]+/", re.IGNORECASE)
MAX_TEXT = 2000


def load_content(root: Path) -> tuple[Content, list[Problem]]:
    """Load every topic under root/handouts, in the reading order. Topics with errors are left out."""
    problems: list[Problem] = []
    folder = root / "handouts"
    sources = load_sources(folder / SOURCES_FILE, root, problems)
    topics = []
    paths = [path for path in sorted(folder.glob("*.yaml")) if path.name not in (SOURCES_FILE, ORDER_FILE)]
    for path in paths:
        topic_problems: list[Problem] = []
        topic = load_topic(path, root, sources, topic_problems)
        problems += topic_problems
        if topic and not any(p.level == "ERROR" for p in topic_problems):
            topics.append(topic)
    order = load_order(folder / ORDER_FILE, root, [path.stem for path in paths], problems)
    topics.sort(key=lambda topic: order.index(topic.slug) if topic.slug in order else len(order))
    return Content(tuple(topics)), problems


def load_order(path: Path, root: Path, slugs: list[str], problems: list[Problem]) -> list[str]:
    """handouts/order.yaml: the topics in the order a reader meets them (packets print them so).

    Optional: without it topics follow their file names. A topic it leaves out comes last.
    """
    if not path.exists():
        return []
    shown = relative(path, root)
    node = compose(path, shown, problems)
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(error(shown, line_of(node), "the topic order must be a list of topic ids", "content.order"))
        return []
    order: list[str] = []
    for item in node.value:
        slug = scalar(item, shown, "a topic id", problems)
        if slug in order:
            problems.append(error(shown, line_of(item), f"topic '{slug}' is listed twice", "content.order"))
        elif slug is not None and slug not in slugs:
            problems.append(error(shown, line_of(item), f"unknown topic '{slug}' (no handouts/{slug}.yaml)", "content.order"))
        elif slug is not None:
            order.append(slug)
    for slug in slugs:
        if slug not in order:
            problems.append(warning(shown, line_of(node), f"topic '{slug}' is not in the order: packets print it last", "content.order-missing"))
    return order


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def compose(path: Path, shown: str, problems: list[Problem]) -> yaml.Node | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(error(shown, 1, f"not UTF-8 text ({exc.reason})", "content.encoding"))
        return None
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark:
            line = mark.line + 1
        elif isinstance(exc, yaml.reader.ReaderError):
            line = text[: exc.position].count("\n") + 1
        else:
            line = 1
        reason = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        problems.append(error(shown, line, f"not valid YAML: {reason}", "content.yaml"))
        return None
    if node is None:
        problems.append(error(shown, 1, "the file is empty", "content.empty"))
    return node


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def mapping(node: yaml.Node, shown: str, what: str, problems: list[Problem]) -> dict | None:
    """A YAML mapping as {key: (key_node, value_node)}, reporting duplicate keys."""
    if not isinstance(node, yaml.MappingNode):
        problems.append(error(shown, line_of(node), f"{what} must be a mapping", "content.type"))
        return None
    result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if not isinstance(name, str):
            problems.append(error(shown, line_of(key), f"{what} has a key that is not text", "content.type"))
        elif name in result:
            problems.append(error(shown, line_of(key), f"duplicate key '{name}' in {what}", "content.duplicate-key"))
        else:
            result[name] = (key, value)
    return result


def scalar(node: yaml.Node, shown: str, what: str, problems: list[Problem]) -> str | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        problems.append(error(shown, line_of(node), f"{what} must be text", "content.type"))
        return None
    return node.value


def load_sources(path: Path, root: Path, problems: list[Problem]) -> dict[str, Source]:
    shown = relative(path, root)
    if not path.exists():
        problems.append(error(shown, 0, "the source list is missing", "content.sources-file"))
        return {}
    node = compose(path, shown, problems)
    entries = mapping(node, shown, "the source list", problems) if node else None
    sources = {}
    for source_id, (_, value) in (entries or {}).items():
        fields = mapping(value, shown, f"source '{source_id}'", problems) or {}
        title = fields.get("title")
        url = fields.get("url")
        if not title or not url:
            problems.append(error(shown, line_of(value), f"source '{source_id}' needs a title and a url", "content.source"))
            continue
        title_text = scalar(title[1], shown, "a source title", problems)
        url_text = scalar(url[1], shown, "a source url", problems)
        if url_text and not url_text.startswith(("https://", "http://")):
            problems.append(error(shown, line_of(url[1]), f"source '{source_id}' url must start with https://", "content.source"))
        elif title_text and url_text:
            sources[source_id] = Source(source_id, title_text, url_text)
    return sources


def load_topic(path: Path, root: Path, sources: dict[str, Source], problems: list[Problem]) -> Topic | None:
    shown = relative(path, root)
    slug = path.stem
    if not SLUG.match(slug):
        problems.append(error(shown, 1, f"file name '{slug}' must be lowercase words joined by '-'", "content.slug"))
    node = compose(path, shown, problems)
    top = mapping(node, shown, "a topic", problems) if node else None
    if top is None:
        return None
    for key, (key_node, _) in top.items():
        if key not in TOPIC_KEYS:
            problems.append(
                error(shown, line_of(key_node), f"unknown topic key '{key}' (expected one of: {', '.join(sorted(TOPIC_KEYS))})", "content.unknown-key")
            )
    for key in sorted(TOPIC_KEYS - top.keys()):
        problems.append(error(shown, 1, f"the topic has no '{key}'", "content.missing-key"))
    if not TOPIC_KEYS <= top.keys():
        return None

    titles = audience_texts(top["title"][1], shown, "title", "title", "heading", "string", problems)
    reviewed, next_review = review_dates(top, shown, problems)
    topic_sources = source_list(top["sources"][1], shown, sources, problems)
    blocks = load_blocks(top["blocks"][1], shown, root / "templates" / "images", problems)
    audiences = [a for a in AUDIENCES if a in titles]
    for block_audiences, block_line in ((set(b), line) for b, line in blocks):
        for extra in sorted(block_audiences - set(audiences)):
            problems.append(error(shown, block_line, f"block is for '{extra}' but the topic has no title for '{extra}'", "content.audience"))
    if reviewed is None or next_review is None or not titles:
        return None
    handouts = {}
    for audience in audiences:
        own_blocks = tuple(variants[audience] for variants, _ in blocks if audience in variants)
        if not own_blocks:
            problems.append(error(shown, line_of(top["blocks"][1]), f"no blocks for '{audience}'", "content.empty"))
        handouts[audience] = Handout(slug, audience, shown, titles[audience][0], reviewed, next_review, topic_sources, own_blocks)
    return Topic(slug, shown, handouts)


def review_dates(top: dict, shown: str, problems: list[Problem]) -> tuple[date | None, date | None]:
    values = []
    for key in ("reviewed", "next_review"):
        node = top[key][1]
        text = scalar(node, shown, key, problems)
        try:
            values.append(date.fromisoformat(text) if text else None)
        except ValueError:
            problems.append(error(shown, line_of(node), f"{key} must be a date like 2026-11-21, not '{text}'", "content.date"))
            values.append(None)
    reviewed, next_review = values
    if reviewed and next_review:
        line = line_of(top["next_review"][1])
        months = (next_review.year - reviewed.year) * 12 + next_review.month - reviewed.month
        if not 1 <= months <= 36:
            problems.append(error(shown, line, "next_review must fall within 3 years after reviewed", "content.review-interval"))
        elif next_review < date.today():
            problems.append(warning(shown, line, f"review is overdue since {next_review}", "content.review-overdue"))
    return reviewed, next_review


def source_list(node: yaml.Node, shown: str, sources: dict[str, Source], problems: list[Problem]) -> tuple[Source, ...]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        problems.append(error(shown, line_of(node), "sources must be a non-empty list of source ids from handouts/sources.yaml", "content.no-sources"))
        return ()
    found = []
    for item in node.value:
        source_id = scalar(item, shown, "a source id", problems)
        if source_id is None:
            continue
        if source_id not in sources:
            problems.append(error(shown, line_of(item), f"unknown source '{source_id}' (not in handouts/sources.yaml)", "content.unknown-source"))
        else:
            found.append(sources[source_id])
    return tuple(found)


def load_blocks(node: yaml.Node, shown: str, images: Path, problems: list[Problem]) -> list[tuple[dict[str, Block], int]]:
    """Each block as {audience: Block}, with the block's line."""
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        problems.append(error(shown, line_of(node), "blocks must be a non-empty list", "content.type"))
        return []
    blocks = []
    seen_ids: dict[str, int] = {}
    for item in node.value:
        fields = mapping(item, shown, "a block", problems)
        if fields is None:
            continue
        block_id = check_block_id(fields, item, shown, seen_ids, problems)
        kind = check_kind(fields, item, shown, problems)
        if block_id is None or kind is None:
            continue
        variants = block_variants(block_id, kind, fields, item, shown, images, problems)
        if variants:
            blocks.append((variants, line_of(item)))
    return blocks


def check_block_id(fields: dict, item: yaml.Node, shown: str, seen: dict[str, int], problems: list[Problem]) -> str | None:
    if "id" not in fields:
        problems.append(error(shown, line_of(item), "block has no 'id'", "content.missing-key"))
        return None
    node = fields["id"][1]
    block_id = scalar(node, shown, "a block id", problems)
    if block_id is None:
        return None
    if not SLUG.match(block_id):
        problems.append(error(shown, line_of(node), f"block id '{block_id}' must be lowercase words joined by '-'", "content.block-id"))
        return None
    if block_id in seen:
        problems.append(error(shown, line_of(node), f"duplicate block id '{block_id}' (first on line {seen[block_id]})", "content.duplicate-id"))
        return None
    seen[block_id] = line_of(node)
    return block_id


def check_kind(fields: dict, item: yaml.Node, shown: str, problems: list[Problem]) -> str | None:
    if "kind" not in fields:
        problems.append(error(shown, line_of(item), "block has no 'kind'", "content.missing-key"))
        return None
    node = fields["kind"][1]
    kind = scalar(node, shown, "a block kind", problems)
    if kind is not None and kind not in KINDS:
        problems.append(error(shown, line_of(node), f"unknown block kind '{kind}' (expected one of: {', '.join(KINDS)})", "content.unknown-kind"))
        return None
    return kind


def block_variants(block_id: str, kind: str, fields: dict, item: yaml.Node, shown: str, images: Path, problems: list[Problem]) -> dict[str, Block]:
    spec = KINDS[kind]
    allowed = set(spec) | {"id", "kind"} | ({"image"} if kind == "figure" else set())
    for name, (key_node, _) in fields.items():
        if name not in allowed:
            problems.append(
                error(shown, line_of(key_node), f"unknown field '{name}' for a {kind} block (expected: {', '.join(sorted(allowed))})", "content.unknown-key")
            )
    image = figure_image(fields, item, shown, images, problems) if kind == "figure" else None
    per_field: dict[str, dict[str, tuple[Text, ...]]] = {}
    required_audiences: set[str] | None = None
    for name, shape in spec.items():
        optional = shape.endswith("?")
        if name not in fields:
            if not optional:
                problems.append(error(shown, line_of(item), f"{kind} block '{block_id}' has no '{name}'", "content.missing-key"))
            continue
        texts = audience_texts(fields[name][1], shown, block_id, name, kind, shape.rstrip("?"), problems)
        per_field[name] = texts
        if not optional:
            if required_audiences is None:
                required_audiences = set(texts)
            elif set(texts) != required_audiences:
                problems.append(
                    error(
                        shown,
                        line_of(fields[name][1]),
                        f"'{name}' must cover the same audiences as the other fields of block '{block_id}'",
                        "content.audience-mismatch",
                    )
                )
    if required_audiences is None or (kind == "figure" and image is None):
        return {}
    line = line_of(item)
    return {
        audience: Block(block_id, kind, line, {name: texts[audience] for name, texts in per_field.items() if audience in texts}, image)
        for audience in AUDIENCES
        if audience in required_audiences
    }


def figure_image(fields: dict, item: yaml.Node, shown: str, images: Path, problems: list[Problem]) -> str | None:
    if "image" not in fields:
        problems.append(error(shown, line_of(item), "figure block has no 'image'", "content.missing-key"))
        return None
    node = fields["image"][1]
    name = scalar(node, shown, "an image name", problems)
    if name is None:
        return None
    if not re.fullmatch(r"[a-z0-9-]+\.svg", name):
        problems.append(error(shown, line_of(node), f"image '{name}' must be a file name like 'blood-cells.svg' in templates/images/", "content.image"))
        return None
    if not (images / name).is_file():
        problems.append(error(shown, line_of(node), f"image '{name}' not found in templates/images/", "content.image"))
        return None
    return name


def audience_keys(key: str) -> list[str] | None:
    """'all' or audience names joined by '+', e.g. 'adult+caregiver'."""
    if key == "all":
        return list(AUDIENCES)
    names = key.split("+")
    if all(name in AUDIENCES for name in names) and len(set(names)) == len(names):
        return names
    return None


def audience_texts(node: yaml.Node, shown: str, block_id: str, name: str, kind: str, shape: str, problems: list[Problem]) -> dict[str, tuple[Text, ...]]:
    """Parse {audience-key: text or [texts]} into {audience: (Text, ...)}."""
    entries = mapping(node, shown, f"'{name}' of '{block_id}' (keys: child, adult, caregiver, all, or joined like adult+caregiver)", problems)
    result: dict[str, tuple[Text, ...]] = {}
    for key, (key_node, value) in (entries or {}).items():
        audiences = audience_keys(key)
        if audiences is None:
            problems.append(
                error(
                    shown,
                    line_of(key_node),
                    f"unknown audience '{key}' (expected child, adult, caregiver, all, or joined with '+')",
                    "content.unknown-audience",
                )
            )
            continue
        context = f"{name}:{key}" if name == "title" else f"{block_id}.{name}:{key}"
        texts = string_values(value, shape, shown, problems)
        made = tuple(Text(value_text, context, tuple(audiences), kind, shown, line) for value_text, line in texts)
        for audience in audiences:
            if audience in result:
                problems.append(error(shown, line_of(key_node), f"'{name}' of '{block_id}' is given twice for '{audience}'", "content.duplicate-audience"))
            result[audience] = made
        for text in made:
            check_text(text, shown, problems)
    return result


def string_values(node: yaml.Node, shape: str, shown: str, problems: list[Problem]) -> list[tuple[str, int]]:
    if shape == "string":
        value = scalar(node, shown, "this field", problems)
        return [(value, line_of(node))] if value is not None else []
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        problems.append(error(shown, line_of(node), "this field must be a non-empty list of texts", "content.type"))
        return []
    values = []
    for item in node.value:
        value = scalar(item, shown, "a list item", problems)
        if value is not None:
            values.append((value, line_of(item)))
    return values


def check_text(text: Text, shown: str, problems: list[Problem]) -> None:
    """Rules for one English string (the same rules later apply to translations)."""
    value, line = text.value, text.line
    for problem in text_problems(value):
        problems.append(error(shown, line, problem[0], problem[1]))
    if "child" in text.audiences:
        found = CHILD_FORBIDDEN.search(value)
        if found:
            problems.append(
                error(shown, line, f"'{found.group(0)}' does not belong in a child's handout (no drug names, numbers or prognosis)", "content.child-term")
            )
    found = FORBIDDEN.search(value)
    if found:
        problems.append(error(shown, line, f"'{found.group(0)}' must not appear in any handout (see FACTS.md section 2)", "content.forbidden-term"))


def text_problems(value: str, placeholders: tuple[str, ...] | None = PLACEHOLDERS, max_length: int = MAX_TEXT) -> list[tuple[str, str]]:
    """Format rules shared by English content and translations: (message, code) pairs.

    placeholders: the names allowed, or None to leave placeholder names unchecked.
    """
    found = []
    if not value.strip():
        found.append(("text is empty", "content.empty-text"))
    if len(value) > max_length:
        found.append((f"text is {len(value)} characters long; split it (at most {max_length})", "content.too-long"))
    if INVISIBLE.search(value):
        char = INVISIBLE.search(value).group(0)
        found.append((f"invisible or control character U+{ord(char):04X} is not allowed", "content.invisible-char"))
    if "<" in value or ">" in value:
        found.append(("HTML is not allowed in content; the only markup is **bold**", "content.markup"))
    elif CODE_LIKE.search(value):
        found.append((f"'{CODE_LIKE.search(value).group(0)}' looks like CSS or script, not handout text", "content.markup"))
    if value.count("**") % 2:
        found.append(("unbalanced ** (bold markup must open and close)", "content.markup"))
    for name in PLACEHOLDER.findall(value):
        if placeholders is not None and name not in placeholders:
            found.append((f"unknown placeholder '{{{name}}}' (allowed: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})", "content.placeholder"))
    if set("{}") & set(PLACEHOLDER.sub("", value)):
        found.append(("stray '{' or '}' (placeholders look like {fever})", "content.placeholder"))
    return found
