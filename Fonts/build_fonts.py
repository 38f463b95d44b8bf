#!/usr/bin/python3
"""Makes the BDF fonts in Fonts/ from Debian's font packages.

Run through build-fonts.sh, which installs the packages first. Every output font is Unicode
encoded (CHARSET_REGISTRY "ISO10646"), holds only the characters listed for it, and stores each
glyph trimmed to its ink with its own BBX offsets and DWIDTH.
"""

import gzip
import os
import subprocess
import sys
import tempfile

MISC = "/usr/share/fonts/X11/misc"
NOTO_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
NOTO_SC_INDEX = 2  # face order in the collection: JP, KR, SC, TC, HK

OUT = os.path.dirname(os.path.abspath(__file__))


# --- character sets -----------------------------------------------------------------------

def gb2312_chars(first_row=0xA1):
    """Every character of GB2312 from `first_row` on (0xB0 starts the 6763 hanzi)."""
    chars = []
    for high in range(first_row, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


ASCII = [chr(c) for c in range(0x20, 0x7F)]
LATIN1 = [chr(c) for c in range(0xA0, 0x100)]
# What addresses, plates and notices use. Input methods type U+00B7 and U+2014 where GB2312
# (as Python decodes it) has U+30FB and U+2015: both of each pair are kept.
ADDRESS_PUNCTUATION = list("·・—―、，。：；！？（）《》“”‘’…#-号【】〔〕～￥")
ALIASES = [("\u00b7", "\u30fb"), ("\u2014", "\u2015")]

HANZI = gb2312_chars(0xB0)
GB2312 = gb2312_chars(0xA1)
assert len(HANZI) == 6763, len(HANZI)

CJK_FULL = ([chr(c) for c in range(0x3400, 0x4DC0)]     # Extension A
            + [chr(c) for c in range(0x4E00, 0xA000)]   # Unified Ideographs
            + [chr(c) for c in range(0x2000, 0x2070)]   # General Punctuation
            + [chr(c) for c in range(0x3000, 0x3100)]   # CJK punctuation, kana
            + [chr(c) for c in range(0xFF00, 0xFFF0)])  # full-width forms


# --- BDF in and out ---------------------------------------------------------------------------

class Glyph:
    def __init__(self, advance, width, height, x_offset, y_offset, rows):
        self.advance = advance
        self.width, self.height = width, height
        self.x_offset, self.y_offset = x_offset, y_offset
        self.rows = rows  # one int per row, leftmost pixel in bit width-1

    def trimmed(self):
        """The same glyph with empty rows and columns around the ink removed."""
        rows = list(self.rows)
        top = 0
        while top < len(rows) and rows[top] == 0:
            top += 1
        if top == len(rows):
            return Glyph(self.advance, 0, 0, 0, 0, [])
        bottom = len(rows)
        while rows[bottom - 1] == 0:
            bottom -= 1
        rows = rows[top:bottom]
        ink = 0
        for row in rows:
            ink |= row
        right_empty = (ink & -ink).bit_length() - 1
        left_empty = self.width - ink.bit_length()
        width = self.width - left_empty - right_empty
        return Glyph(self.advance, width, len(rows), self.x_offset + left_empty,
                     self.y_offset + (self.height - bottom), [row >> right_empty for row in rows])


class Font:
    def __init__(self, ascent, descent, glyphs, copyright_notice=""):
        self.ascent, self.descent = ascent, descent
        self.glyphs = glyphs  # code point -> Glyph
        self.copyright = copyright_notice


def pcf_to_bdf_text(path):
    """pcf2bdf's output for a PCF file (gzip or not)."""
    with tempfile.TemporaryDirectory() as work:
        pcf = os.path.join(work, "font.pcf")
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as source, open(pcf, "wb") as target:
            target.write(source.read())
        return subprocess.run(["pcf2bdf", pcf], check=True, capture_output=True).stdout.decode("latin-1")


def read_bdf(text):
    """Reads pcf2bdf's output: code point (in the font's own encoding) -> Glyph."""
    properties, glyphs = {}, {}
    lines = iter(text.splitlines())
    for line in lines:
        words = line.split()
        if not words:
            continue
        if words[0] in ("FONT_ASCENT", "FONT_DESCENT"):
            properties[words[0]] = int(words[1])
        elif words[0] == "COPYRIGHT":
            properties["COPYRIGHT"] = line.split(" ", 1)[1].strip().strip('"')
        elif words[0] == "STARTCHAR":
            encoding = advance = box = None
            for line in lines:
                words = line.split()
                if words[0] == "ENCODING":
                    encoding = int(words[1])
                elif words[0] == "DWIDTH":
                    advance = int(words[1])
                elif words[0] == "BBX":
                    box = [int(w) for w in words[1:5]]
                elif words[0] == "BITMAP":
                    break
            rows = []
            for line in lines:
                if line.startswith("ENDCHAR"):
                    break
                bits = len(line.strip()) * 4
                rows.append(int(line, 16) >> (bits - box[0]) if box[0] else 0)
            if encoding is not None and encoding >= 0:
                glyphs[encoding] = Glyph(advance, box[0], box[1], box[2], box[3], rows)
    return Font(properties["FONT_ASCENT"], properties["FONT_DESCENT"], glyphs,
                properties.get("COPYRIGHT", ""))


def load_pcf(name):
    return read_bdf(pcf_to_bdf_text(os.path.join(MISC, name)))


def gb_to_unicode(font):
    """Re-keys a GB2312.1980-0 font (ENCODING is the 7-bit GL code) by Unicode."""
    glyphs = {}
    for code, glyph in font.glyphs.items():
        try:
            char = bytes([(code >> 8) | 0x80, (code & 0xFF) | 0x80]).decode("gb2312")
        except UnicodeDecodeError:
            continue
        glyphs[ord(char)] = glyph
    font.glyphs = glyphs
    return font


def subset(font, chars, alias=True):
    """Keeps only `chars`; fills each alias pair from whichever code point the font has."""
    glyphs = font.glyphs
    if alias:
        for first, second in ALIASES:
            for want, have in ((first, second), (second, first)):
                if ord(want) not in glyphs and ord(have) in glyphs:
                    glyphs[ord(want)] = glyphs[ord(have)]
    wanted = {ord(c) for c in chars}
    font.glyphs = {code: glyph for code, glyph in glyphs.items() if code in wanted}
    return font


def merge(base, extra):
    """Adds the glyphs of `extra` (same height and baseline) that `base` lacks."""
    if (base.ascent, base.descent) != (extra.ascent, extra.descent):
        sys.exit("cannot merge fonts with different cells: "
                 f"{base.ascent}/{base.descent} and {extra.ascent}/{extra.descent}")
    for code, glyph in extra.glyphs.items():
        base.glyphs.setdefault(code, glyph)
    return base


def write_bdf(font, file_name, family, weight, pixel_size):
    glyphs = {code: glyph.trimmed() for code, glyph in sorted(font.glyphs.items())}
    max_width = max(g.x_offset + g.width for g in glyphs.values())
    name = f"-wallboard-{family}-{weight}-R-Normal--{pixel_size}-{pixel_size * 10}-75-75-P-0-ISO10646-1"
    lines = [
        "STARTFONT 2.1",
        f"FONT {name}",
        f"SIZE {pixel_size} 75 75",
        f"FONTBOUNDINGBOX {max_width} {font.ascent + font.descent} 0 {-font.descent}",
        "STARTPROPERTIES 8",
        f'FAMILY_NAME "{family}"',
        f'WEIGHT_NAME "{weight}"',
        f"PIXEL_SIZE {pixel_size}",
        f"FONT_ASCENT {font.ascent}",
        f"FONT_DESCENT {font.descent}",
        f'COPYRIGHT "{font.copyright.replace(chr(34), chr(39))}"',
        'CHARSET_REGISTRY "ISO10646"',
        'CHARSET_ENCODING "1"',
        "ENDPROPERTIES",
        f"CHARS {len(glyphs)}",
    ]
    for code, g in glyphs.items():
        lines += [
            f"STARTCHAR U+{code:04X}",
            f"ENCODING {code}",
            f"SWIDTH {g.advance * 1000 // pixel_size} 0",
            f"DWIDTH {g.advance} 0",
            f"BBX {g.width} {g.height} {g.x_offset} {g.y_offset}",
            "BITMAP",
        ]
        digits = (g.width + 7) // 8 * 2
        padding = digits * 4 - g.width
        lines += [f"{row << padding:0{digits}X}" for row in g.rows]
        lines.append("ENDCHAR")
    lines.append("ENDFONT")
    # Written aside and renamed, so that an interrupted build leaves no font that looks finished.
    path = os.path.join(OUT, file_name)
    with open(path + ".part", "w", encoding="ascii") as out:
        out.write("\n".join(lines) + "\n")
    os.replace(path + ".part", path)
    print(f"{file_name}: {len(glyphs)} glyphs, {os.path.getsize(os.path.join(OUT, file_name))} bytes")


# --- Noto Sans CJK rasterised -------------------------------------------------------------------

def rasterise_noto(pixel_size, chars):
    """Noto Sans CJK SC Bold drawn at the largest em size whose ink fits `pixel_size` rows.

    Characters the face does not have (it would draw its .notdef box) are left out.
    """
    from PIL import Image, ImageFont

    probe = "国龍鬱（）Hgjy"
    for em in range(pixel_size, pixel_size // 2, -1):
        face = ImageFont.truetype(NOTO_BOLD, em, index=NOTO_SC_INDEX)
        tops, bottoms = zip(*((face.getbbox(c, anchor="ls")[1], face.getbbox(c, anchor="ls")[3]) for c in probe))
        if max(bottoms) - min(tops) <= pixel_size:
            break
    ascent = -min(tops)
    descent = pixel_size - ascent
    threshold = [255 if value >= 128 else 0 for value in range(256)]

    def ink(char):
        """The glyph's pixels above the threshold: (width, height, offset from the pen on the
        baseline, packed rows)."""
        mask, offset = face.getmask2(char, mode="L", anchor="ls")
        image = Image.Image()._new(mask)
        return image.size, offset, image.point(threshold).convert("1").tobytes()

    notdef = ink("\u0378")  # unassigned: the face draws its .notdef box
    glyphs = {}
    for char in chars:
        drawn = ink(char)
        if drawn == notdef:
            continue
        (width, height), (left, top), bits = drawn
        stride = (width + 7) // 8
        # Only the cell's rows: a few diacritics above the probe set are cut rather than
        # making the font taller than its size.
        kept = [y for y in range(height) if -ascent <= top + y < descent]
        rows = [int.from_bytes(bits[y * stride:(y + 1) * stride], "big") >> (stride * 8 - width) for y in kept]
        box_top = top + kept[0] if kept else 0
        advance = round(face.getlength(char))
        glyphs[ord(char)] = Glyph(advance, width, len(rows), left, -(box_top + len(rows)), rows)
    return Font(ascent, descent, glyphs,
                "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'")


# --- the fonts ----------------------------------------------------------------------------------

# Made at `make` time rather than committed (see README.md): Noto Sans CJK SC Bold with the whole
# CJK Unified Ideographs block and Extension A, at the sizes the walls set text in, so that a
# character outside GB2312 is drawn at the text's own size rather than by a 16 px fallback.
LARGE_SIZES = (24, 32, 48)


def scaled_into(font, source, codes):
    """Adds to `font` the glyphs of `codes` it lacks, from `source` (Unifont's 16 px cell) scaled
    nearest-neighbour to the box of its 中, so they stand as tall as its ideographs."""
    reference = font.glyphs[ord("中")]
    size = reference.height
    for code in codes:
        glyph = source.glyphs.get(code)
        if code in font.glyphs or glyph is None:
            continue
        cell = [0] * 16  # Unifont's cell: 16 rows from 14 above the baseline, 16 columns
        for index, row in enumerate(glyph.rows):
            y = 14 - (glyph.y_offset + glyph.height) + index
            if 0 <= y < 16:
                cell[y] |= row << (16 - glyph.x_offset - glyph.width)
        rows = []
        for y in range(size):
            source_row = cell[y * 16 // size]
            row = 0
            for x in range(size):
                row = row << 1 | (source_row >> (15 - x * 16 // size)) & 1
            rows.append(row)
        font.glyphs[code] = Glyph(reference.advance, size, size, reference.x_offset, reference.y_offset, rows)


def large_font(size):
    chars = CJK_FULL + GB2312 + ASCII + LATIN1 + ADDRESS_PUNCTUATION
    font = rasterise_noto(size, sorted(set(chars) | {"\u30fb", "\u2015"}))
    # The ideographs Unicode 13 and 14 added (U+4DB6-4DBF, U+9FF0-9FFF) are not in Debian's Noto
    # Sans CJK: Unifont's, enlarged, from the committed unifont-16.bdf.
    with open(os.path.join(OUT, "unifont-16.bdf"), encoding="latin-1") as unifont:
        scaled_into(font, read_bdf(unifont.read()), list(range(0x3400, 0x4DC0)) + list(range(0x4E00, 0xA000)))
    write_bdf(subset(font, chars), f"noto-cjk-{size}.bdf", "Noto Sans CJK SC", "Bold", size)


def main():
    cjk_subset = GB2312 + ASCII + ADDRESS_PUNCTUATION

    wqy12 = subset(load_pcf("wenquanyi_9pt.pcf"), cjk_subset)
    write_bdf(wqy12, "wqy-12.bdf", "WenQuanYi Bitmap Song", "Medium", 12)

    isas16 = merge(gb_to_unicode(load_pcf("gb16st.pcf.gz")), load_pcf("8x16.pcf.gz"))
    write_bdf(subset(isas16, cjk_subset), "isas-16.bdf", "ISAS Song", "Medium", 16)

    isas24 = merge(gb_to_unicode(load_pcf("gb24st.pcf.gz")), load_pcf("12x24.pcf.gz"))
    write_bdf(subset(isas24, cjk_subset), "isas-24.bdf", "ISAS Song", "Medium", 24)

    noto32 = rasterise_noto(32, sorted(set(cjk_subset) | {"\u30fb", "\u2015"}))
    write_bdf(subset(noto32, cjk_subset), "noto-32.bdf", "Noto Sans CJK SC", "Bold", 32)

    unifont = load_pcf("unifont.pcf.gz")
    write_bdf(subset(unifont, CJK_FULL + GB2312 + ASCII + LATIN1 + ADDRESS_PUNCTUATION),
              "unifont-16.bdf", "Unifont", "Medium", 16)

    latin = ASCII + LATIN1 + ["·", "—", "…", "‘", "’", "“", "”"]
    write_bdf(subset(load_pcf("5x7.pcf.gz"), latin), "fixed-5x7.bdf", "Fixed", "Medium", 7)
    write_bdf(subset(load_pcf("6x10.pcf.gz"), latin), "fixed-6x10.bdf", "Fixed", "Medium", 10)

    # Terminus stops at 32 px: the 4K wall's key figures are Noto Sans CJK's Latin at 64 px.
    figures = ASCII + ["·", "—"]
    write_bdf(subset(rasterise_noto(64, figures), figures), "digits-64.bdf", "Wallboard Digits", "Bold", 64)

    # Terminus Font has "Terminus Font" as Reserved Font Name: the converted copy is renamed.
    for size in (16, 24, 32):
        digits = subset(load_pcf(f"ter-u{size}b_iso-8859-1.pcf.gz"), ASCII + ["·"])
        write_bdf(digits, f"digits-{size}.bdf", "Wallboard Digits", "Bold", size)


if __name__ == "__main__":
    # `build_fonts.py` makes the committed fonts; `build_fonts.py --large 24 48` the large ones.
    if sys.argv[1:2] == ["--large"]:
        sizes = [int(size) for size in sys.argv[2:]] or LARGE_SIZES
        unknown = [size for size in sizes if size not in LARGE_SIZES]
        if unknown:
            sys.exit(f"no large font of {unknown} px; the sizes are {', '.join(map(str, LARGE_SIZES))}")
        for size in sizes:
            large_font(size)
    else:
        main()
