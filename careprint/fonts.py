"""Fonts per script: which faces a language prints with, and whether they cover its text.

Atkinson Hyperlegible where it covers the language (Latin scripts), Noto families elsewhere
(Debian's fonts-noto-core and fonts-noto-cjk). CJK faces are cut out of the Noto TTC and
subset to the characters the handouts use: faster to render and smaller PDFs.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg_atkinson_hyperlegible as atkinson

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")


@dataclass(frozen=True, slots=True)
class Face:
    family: str
    regular: Path
    bold: Path
    index: int = 0  # face number inside a .ttc collection
    subset: bool = False  # cut out and subset to the characters used (large CJK collections)


ATKINSON = Face(
    "Atkinson Hyperlegible", atkinson.ROOT / "files" / "AtkinsonHyperlegible-Regular.ttf", atkinson.ROOT / "files" / "AtkinsonHyperlegible-Bold.ttf"
)
NOTO_SANS = Face("Noto Sans", NOTO / "NotoSans-Regular.ttf", NOTO / "NotoSans-Bold.ttf")
NOTO_ARABIC = Face("Noto Sans Arabic", NOTO / "NotoSansArabic-Regular.ttf", NOTO / "NotoSansArabic-Bold.ttf")
NOTO_SC = Face("Noto Sans CJK SC", NOTO_CJK / "NotoSansCJK-Regular.ttc", NOTO_CJK / "NotoSansCJK-Bold.ttc", index=2, subset=True)
NOTO_KR = Face("Noto Sans CJK KR", NOTO_CJK / "NotoSansCJK-Regular.ttc", NOTO_CJK / "NotoSansCJK-Bold.ttc", index=1, subset=True)

# Faces per language, in CSS font-family order. Atkinson Hyperlegible lacks Cyrillic and many
# Vietnamese letters (checked with fontTools); Arabic text takes Latin words and digits from
# Noto Sans so that no word switches font part way through.
LANGUAGE_FACES: dict[str, tuple[Face, ...]] = {
    "en": (ATKINSON,),
    "es": (ATKINSON,),
    "fr": (ATKINSON,),
    "pt-BR": (ATKINSON,),
    "ht": (ATKINSON,),
    "tl": (ATKINSON,),
    "vi": (NOTO_SANS,),
    "ru": (NOTO_SANS,),
    "ar": (NOTO_SANS, NOTO_ARABIC),
    "zh-Hans": (NOTO_SC,),
    "ko": (NOTO_KR,),
}
DEFAULT_FACES = (NOTO_SANS,)
ALWAYS = " \u00a0\u2009\u202f°–—‘’“”«»…•·-()[]:;,.!?'\"/0123456789"


def faces_for(lang: str) -> tuple[Face, ...]:
    return LANGUAGE_FACES.get(lang, DEFAULT_FACES)


@cache
def cmap(path: Path, index: int) -> frozenset[int]:
    """The code points a face maps to glyphs (HarfBuzz reads a CJK face's in ms, fontTools took 0.15 s)."""
    import uharfbuzz

    return frozenset(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)), index).unicodes)


def missing_files(faces: tuple[Face, ...]) -> list[Path]:
    return [path for face in faces for path in (face.regular, face.bold) if not path.is_file()]


@cache
def covered(faces: tuple[Face, ...]) -> frozenset[int]:
    """Code points that both the regular and the bold of some face can draw."""
    return frozenset().union(*(cmap(face.regular, face.index) & cmap(face.bold, face.index) for face in faces))


def missing_characters(text: str, faces: tuple[Face, ...]) -> list[str]:
    """Characters of text that none of the faces can draw (whitespace aside)."""
    drawn = covered(faces)
    return sorted(ch for ch in set(text) if not ch.isspace() and ord(ch) not in drawn)


def face_files(faces: tuple[Face, ...], text: str, cache_dir: Path) -> list[tuple[str, str, Path]]:
    """(family, weight, file) for each face; subset faces are cut to the characters of text."""
    files = []
    for face in faces:
        for weight, path in (("normal", face.regular), ("bold", face.bold)):
            if face.subset:
                path = subset_face(path, face.index, "".join(sorted(set(text + ALWAYS))), cache_dir)
            files.append((face.family, weight, path))
    return files


def subset_face(path: Path, index: int, characters: str, cache_dir: Path) -> Path:
    """One face of a collection, subset to characters; cached by content, built once.

    HarfBuzz's subsetter cuts the face (milliseconds, where fontTools took seconds for a Noto
    CJK face) and keeps its default layout features (those text shaping uses).
    """
    import uharfbuzz
    from fontTools.ttLib import TTFont

    digest = hashlib.sha256(f"{path}:{index}:{characters}:{uharfbuzz.__version__}".encode()).hexdigest()[:16]
    target = cache_dir / f"{path.stem}-{index}-{digest}.ttf"
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    wanted = uharfbuzz.SubsetInput()
    wanted.unicode_set.update(ord(character) for character in characters)
    wanted.flags = uharfbuzz.SubsetFlags.NOTDEF_OUTLINE
    face = uharfbuzz.subset(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)), index), wanted)
    font = TTFont(io.BytesIO(face.blob.data), recalcTimestamp=False)
    if "CFF " in font:
        to_truetype(font)
    temporary = target.with_suffix(".tmp")
    font.save(str(temporary))
    temporary.replace(target)
    return target


def to_truetype(font) -> None:
    """Redraw CFF (cubic) outlines as TrueType (quadratic) glyphs.

    WeasyPrint embeds CFF glyphs desubroutinized, which made a Chinese handout about 330 KB;
    the same glyphs as TrueType outlines are about 40% smaller (measured on this machine).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = {}
    for name in glyf.glyphOrder:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for name in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, name, 1 if name == "maxZones" else 0)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def css_family(family: str) -> str:
    """A family name no installed font has, so the page can only use the files given here.

    With the system's own name, fontconfig's copy of Noto Sans CJK (the whole collection) won
    over the subset file, silently.
    """
    return f"{family} handout"


def css_families(lang: str) -> str:
    """The language's font-family list, for text the page stylesheet does not reach (labels in pictures)."""
    faces = faces_for(lang)
    return ", ".join(f"'{css_family(face.family)}'" for face in (faces[::-1] if lang == "ar" else faces))


def font_css(files: list[tuple[str, str, Path]], faces: tuple[Face, ...]) -> str:
    rules = [
        f'@font-face {{ font-family: "{css_family(family)}"; font-weight: {weight}; font-style: normal; src: url("{path.resolve().as_uri()}"); }}'
        for family, weight, path in files
    ]
    families = ", ".join(f'"{css_family(face.family)}"' for face in faces)
    rules.append(f"html {{ font-family: {families}; }}")
    return "\n".join(rules)


def bilingual_font_css(files: list, faces: tuple[Face, ...], english_files: list, english_faces: tuple[Face, ...]) -> str:
    """The language's fonts for the page, and the English fonts for its English parts."""
    shared = [f for f in english_files if f not in files]
    families = ", ".join(f'"{css_family(face.family)}"' for face in english_faces)
    return font_css(files + shared, faces) + f'\n[lang="en"] {{ font-family: {families}; }}'


FONT_FOLDERS = sorted({path.parent for faces in LANGUAGE_FACES.values() for face in faces for path in (face.regular, face.bold)})
