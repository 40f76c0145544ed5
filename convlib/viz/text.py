"""Text drawn from a cache: each label is rendered by FreeType once, then blended in.

A widget redraws its picture many times a second, and most of its text (numbers in
cells, titles) is the same from one frame to the next: 04's depth picture writes
about 70 labels a frame. Rendering is keyed by the font object itself (a language's
font is another font), so the caches need no clearing when the font changes.
"""

import functools
import math

import numpy as np


@functools.lru_cache(maxsize=4096)
def width(font, text):
    """Width in whole pixels of `text` in `font`, measured once."""
    return int(np.ceil(font.getlength(text)))


def draw_text(draw, xy, text, font, fill, anchor="la"):
    """What ``draw.text(xy, text, font=font, fill=fill, anchor=anchor)`` draws, pixel for pixel."""
    if "\n" in text:  # several lines: Pillow lays them out
        draw.text(xy, text, font=font, fill=fill, anchor=anchor)
        return
    start = math.modf(xy[0])[0], math.modf(xy[1])[0]  # where between pixels the text starts
    mask, (dx, dy) = _mask(font, text, anchor, start, draw.fontmode)
    # The call ImageDraw.text ends with (Pillow internals, pinned in constraints.txt;
    # tests/viz/test_text.py compares the pixels with ImageDraw.text's own).
    draw.draw.draw_bitmap((int(xy[0]) + dx, int(xy[1]) + dy), mask, draw._getink(fill)[0])


@functools.lru_cache(maxsize=4096)
def _mask(font, text, anchor, start, mode):
    return font.getmask2(text, mode, anchor=anchor, start=start)
