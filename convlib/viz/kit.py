"""The drawing kit: panels of numbers and pictures drawn with Pillow from NumPy arrays.

Every picture of the course is a :class:`Picture`, which a notebook shows as a
static PNG (it reads on GitHub, in slides and on paper) and a live widget
redraws many times a second: no matplotlib figure per step. Each carries its
text alternative (``alt``), a sentence saying what it shows, computed from its
data, for readers who cannot see it, and the size of its smallest text
(``font_px``), which a slide that scales it checks. ``lecture_mode()`` enlarges
everything for a projector.

The colours come from one palette, Okabe and Ito's, chosen so that colours that
mean different things stay distinct with every common colour-vision deficiency
(tests/viz/test_kit.py measures it); text on any fill meets WCAG AA.
"""

import base64
import functools
import io
import re

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..validation import check_time
from ..i18n import _, cjk_font, language
from . import text as text_cache

# Sizes in pixels; lecture_mode() scales them. "small" is the smallest text any picture
# draws: at least 14 px where a slide shows the picture (tests/course/test_slides.py).
STYLE = {"cell": 38, "font": 16, "small": 14, "pixel": 1, "gap": 16}
_NORMAL = dict(STYLE)
_LECTURE_FACTOR = 1.6

# Okabe & Ito (2008), "Color Universal Design": eight colours that people with
# protanopia, deuteranopia and tritanopia can still tell apart.
OKABE_ITO = {"orange": (230, 159, 0), "sky blue": (86, 180, 233), "bluish green": (0, 158, 115),
             "yellow": (240, 228, 66), "blue": (0, 114, 178), "vermillion": (213, 94, 0),
             "reddish purple": (204, 121, 167), "black": (0, 0, 0)}

WINDOW = OKABE_ITO["vermillion"]     # orange: the window the kernel covers now
OUTPUT = OKABE_ITO["bluish green"]   # green: the output being written
HIGHLIGHT = OKABE_ITO["blue"]        # blue: a second thing marked beside the window and the output
PAD = (215, 215, 215)                # grey: zeros added around the input
FADED = (228, 228, 228)              # light grey and crossed out (not by colour alone): left out
INK = (20, 20, 20)                   # text, on white or on any fill of this palette
QUIET_INK = (96, 96, 96)             # secondary text, on white only
GRID = (150, 150, 150)               # lines between cells
FONT_PX = "font_px"                  # a picture's smallest text: key of PIL's image.info and of the PNG metadata


def tint(colour, strength):
    """`colour` mixed with white: `strength` 0 is white, 1 the colour itself.

    Examples
    --------
    >>> tint((0, 100, 200), 0.5)
    (128, 178, 228)
    """
    return tuple(int(round(255 - (255 - c) * strength)) for c in colour)


# Fills for things of one kind told apart by colour (kernel weights, window positions):
# Okabe-Ito colours and their tints, found by a search that maximised the smallest
# CAM02-UCS distance between any two of them, white and PAD, under every simulated
# deficiency (about 10), keeping INK on each at WCAG AA contrast.
CATEGORICAL = [OKABE_ITO["orange"], OKABE_ITO["sky blue"], OKABE_ITO["bluish green"],
               OKABE_ITO["reddish purple"], OKABE_ITO["vermillion"], tint(OKABE_ITO["orange"], 0.55),
               tint(OKABE_ITO["sky blue"], 0.55), tint(OKABE_ITO["reddish purple"], 0.7),
               tint(OKABE_ITO["orange"], 0.25)]


class Picture:
    """A PIL image that a notebook displays as a PNG, with its text alternative `alt`:
    a sentence or two saying what the picture shows. The repr is free of memory addresses.

    The alternative goes with the PNG as the output's ``alt`` metadata, which the
    slides, the website and nbconvert's HTML put in the ``<img alt="...">``. Beside it
    goes ``font_px``, the height in the PNG's pixels of the smallest text drawn in it
    (by :func:`write`, or given), which the slides check at the size they show it.

    Examples
    --------
    >>> from PIL import Image
    >>> bar = Picture(Image.new("RGB", (4, 2)), alt="A black bar.", font_px=16); bar.alt, bar.font_px
    ('A black bar.', 16)
    >>> Picture(Image.new("RGB", (4, 2)), alt=" ")
    Traceback (most recent call last):
    ...
    ValueError: `alt` must be a sentence saying what the picture shows; got ' '
    """

    def __init__(self, image, alt, font_px=None):
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError(_("`alt` must be a sentence saying what the picture shows; got {alt!r}").format(alt=alt))
        self.image, self.alt = image, alt.strip()
        self.font_px = image.info.get(FONT_PX) if font_px is None else font_px

    def __repr__(self):
        return f"<picture {self.image.width}x{self.image.height}>"

    def _repr_png_(self):
        return png(self.image, compress_level=6)

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = base64.b64encode(self._repr_png_()).decode("ascii")
        metadata = {"alt": self.alt} | ({FONT_PX: self.font_px} if self.font_px else {})
        return {"image/png": data}, {"image/png": metadata}

    def pixels(self):
        """The picture as an (H, W, 3) uint8 array."""
        return np.asarray(self.image)


def lecture_mode(on=True):
    """Bigger fonts, cells and figures for a lecture-hall projector; ``False`` restores.

    Examples
    --------
    >>> lecture_mode(); STYLE["font"] > 16
    True
    >>> lecture_mode(False); STYLE["font"]
    16
    """
    import matplotlib as mpl

    if on:
        STYLE.update({k: round(v * _LECTURE_FACTOR) for k, v in _NORMAL.items()})
        STYLE["pixel"] = 2
        mpl.rcParams.update({"font.size": 16, "figure.figsize": (10, 5), "figure.dpi": 110})
    else:
        STYLE.update(_NORMAL)
        mpl.rcParams.update({k: mpl.rcParamsDefault[k] for k in ("font.size", "figure.figsize", "figure.dpi")})
    _loaded_font.cache_clear()


def _font(size, text=""):
    """The kit's font at `size` px for `text`: Pillow's own, or IPAexGothic for words in Japanese
    (numbers and ASCII keep the English look and widths, so that they fit the same cells)."""
    return _loaded_font(size, language() == "ja" and not text.isascii())


@functools.lru_cache(maxsize=8)
def _loaded_font(size, japanese):
    return cjk_font(size) if japanese else ImageFont.load_default(size=size)


def fmt(value):
    """Numbers short enough for a grid cell: 3, -0.5, 0.33."""
    value = float(value)
    return str(int(round(value))) if abs(value - round(value)) < 5e-3 else f"{value:.2f}".rstrip("0")


def text_width(text, size=None):
    """Width in pixels of `text` in the current font."""
    return text_cache.width(_font(size or STYLE["font"], text), text)


def _note_font(image, size):
    """Remember on `image` the smallest text drawn in it (``info`` survives copy and crop)."""
    image.info[FONT_PX] = min(size, image.info.get(FONT_PX, size))


def write(draw, xy, text, size=None, fill=INK, anchor="la"):
    """Draw `text` (in the kit's font, STYLE["font"] pixels unless `size`) and note its size."""
    size = size or STYLE["font"]
    text_cache.draw_text(draw, xy, text, _font(size, text), fill, anchor)
    if text.strip():
        _note_font(draw._image, size)


def paste(canvas, panel, xy):
    """Paste `panel` into `canvas` at `xy`, carrying along the size of its smallest text."""
    canvas.paste(panel, xy)
    if FONT_PX in panel.info:
        _note_font(canvas, panel.info[FONT_PX])


def grid_panel(values, title="", window=None, filled=None, current=None, padded=None, colors=None):
    """A grid of numbers; `window` = (row, col, height, width) is outlined in orange,
    cells where `filled` is False are left blank, `current` (row, col) is green,
    cells where `padded` is True are shaded as zeros added around the input, and
    `colors` (an (H, W, 3) array, optional) fills each cell."""
    values = np.atleast_2d(values)
    rows, cols = values.shape
    check_time(rows * cols, 2000, _("drawing a grid of {rows} x {cols} numbers").format(
                                      rows=rows, cols=cols), _("show a smaller array"))
    cell, top = STYLE["cell"], STYLE["font"] + 8
    image = Image.new("RGB", (max(cols * cell + 1, text_width(title)), rows * cell + top + 1), "white")
    draw = ImageDraw.Draw(image)
    write(draw, (0, 0), title)
    for (i, j), value in np.ndenumerate(values):
        box = (j * cell, top + i * cell, (j + 1) * cell, top + (i + 1) * cell)
        fill = "white" if colors is None else tuple(int(c) for c in colors[i, j])
        fill = OUTPUT if current == (i, j) else PAD if padded is not None and padded[i, j] else fill
        draw.rectangle(box, fill=fill, outline=GRID)
        if filled is None or filled[i, j]:
            write(draw, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), fmt(value), anchor="mm")
    if window is not None:
        r, c, h, w = window
        draw.rectangle((c * cell, top + r * cell, (c + w) * cell, top + (r + h) * cell), outline=WINDOW, width=3)
    return image


def pixel_panel(rgb, title="", box=None, scale=1, box_width=2):
    """An (H, W, 3) uint8 picture enlarged by whole pixels under a title, with an
    optional orange `box` = (row, col, h, w) in the picture's own pixels."""
    rgb = np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1)
    top = STYLE["font"] + 8
    canvas = Image.new("RGB", (max(rgb.shape[1], text_width(title)), rgb.shape[0] + top), "white")
    paste(canvas, Image.fromarray(rgb), (0, top))
    draw = ImageDraw.Draw(canvas)
    write(draw, (0, 0), title)
    if box is not None:
        r, c, h, w = box
        draw.rectangle((c * scale - 1, top + r * scale - 1, (c + w) * scale, top + (r + h) * scale),
                       outline=WINDOW, width=box_width)
    return canvas


def gray_panel(image, title="", low=None, high=None, box=None, scale=None):
    """A grayscale picture of `image` (scaled from [low, high] to black..white),
    enlarged by whole pixels, with an optional orange `box` = (row, col, h, w).
    NaN pixels (not computed yet) are drawn light grey."""
    image = np.asarray(image, dtype=np.float64)
    low = np.nanmin(image) if low is None else low
    high = np.nanmax(image) if high is None else high
    gray = np.uint8(np.clip((np.nan_to_num(image, nan=low) - low) / ((high - low) or 1.0), 0, 1) * 255)
    rgb = np.stack([gray] * 3, axis=-1)
    rgb[np.isnan(image)] = PAD
    scale = scale or STYLE["pixel"]
    return pixel_panel(rgb, title, box, scale, box_width=max(2, scale))


def sentences(*parts):
    """Parts of a text alternative as sentences, each ending with a full stop; a first
    word is capitalised unless it names a variable (``y[0]``, ``x``).

    Examples
    --------
    >>> sentences("the input x", "", "y[0] = 3;  grey: zeros")
    'The input x. y[0] = 3; grey: zeros.'
    """
    parts = [" ".join(part.split()).rstrip(".;: ") for part in parts if part and part.strip()]
    return " ".join((part[0].upper() + part[1:] if re.match(r"[a-z]{2,}\b(?![\[(_.])", part) else part) + "."
                    for part in parts)


def side_by_side(*panels, caption="", alt=""):
    """Panels in a row on a white background, with an optional caption below (one line
    per line of `caption`): a Picture whose text alternative is `alt` followed by the caption."""
    gap, line = STYLE["gap"], STYLE["font"] + 8
    lines = caption.splitlines()
    width = max([sum(p.width for p in panels) + gap * (len(panels) + 1)] + [text_width(t) + 2 * gap for t in lines])
    height = max(p.height for p in panels) + 2 * gap + line * len(lines)
    canvas = Image.new("RGB", (width, height), "white")
    x = gap
    for panel in panels:
        paste(canvas, panel, (x, gap))
        x += panel.width + gap
    for k, text in enumerate(lines):
        write(ImageDraw.Draw(canvas), (gap, height - gap - STYLE["font"] - line * (len(lines) - 1 - k)), text)
    return Picture(canvas, sentences(alt, caption))


def stacked(*panels):
    """Panels one above the other, left-aligned: one panel."""
    canvas = Image.new("RGB", (max(p.width for p in panels), sum(p.height for p in panels)), "white")
    top = 0
    for panel in panels:
        paste(canvas, panel, (0, top))
        top += panel.height
    return canvas


def png(picture, compress_level=1):
    """PNG bytes of a PIL image or Picture (fast compression by default: widgets redraw often)."""
    image = picture.image if isinstance(picture, Picture) else picture
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


def shape_text(array):
    """An array's shape for a text alternative: '3x4'."""
    return "x".join(str(n) for n in np.shape(array))


def numbers_text(array):
    """A small array's numbers for a text alternative, row by row: '1, 0; 0, -1'."""
    return "; ".join(", ".join(fmt(v) for v in row) for row in np.atleast_2d(array))


def kernel_grid(kernel, title=""):
    """A kernel as a grid of its numbers."""
    kernel = np.atleast_2d(kernel)
    return Picture(grid_panel(kernel, title), sentences(_("{title_or_a_kernel}: a {shape_text_kernel} grid of "
                                                          "numbers, row by row: {numbers_text_kernel}").format(
                                                            title_or_a_kernel=title or _("a kernel"),
                                                            shape_text_kernel=shape_text(kernel),
                                                            numbers_text_kernel=numbers_text(kernel))))
