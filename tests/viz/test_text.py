"""Text drawn from the cache has exactly the pixels Pillow's ImageDraw.text draws."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from convlib.viz import kit, text


@pytest.mark.parametrize("xy, anchor", [((3, 4), "la"), ((19.5, 12.5), "mm"), ((7.25, 30), "lm"), ((-2.5, 0), "la")])
def test_text_drawn_from_the_cache_has_exactly_the_pixels_of_pillows_own(xy, anchor):
    """write() renders each label once and blends the cached mask; Pillow's draw.text is the reference."""
    background = np.zeros((40, 60, 3), np.uint8)
    background[:, :30] = kit.OUTPUT  # text over two fills: the blend, not only the mask, must match
    for words, fill, size in (("-0.25", kit.INK, None), ("y[0, 1, 2] ≈ 3", kit.WINDOW, 13), ("sum 7", "white", 20)):
        ours, pillows = Image.fromarray(background), Image.fromarray(background)
        kit.write(ImageDraw.Draw(ours), xy, words, size=size, fill=fill, anchor=anchor)
        kit.write(ImageDraw.Draw(ours), xy, words, size=size, fill=fill, anchor=anchor)  # the second from the cache
        ImageDraw.Draw(pillows).text(xy, words, font=kit._font(size or kit.STYLE["font"]), fill=fill, anchor=anchor)
        ImageDraw.Draw(pillows).text(xy, words, font=kit._font(size or kit.STYLE["font"]), fill=fill, anchor=anchor)
        assert np.array_equal(np.asarray(ours), np.asarray(pillows)), (words, xy, anchor)
        assert not np.array_equal(np.asarray(ours), background)


def test_the_cache_of_text_tells_fonts_apart():
    small, large = (Image.new("RGB", (80, 40), "white") for _ in range(2))
    kit.write(ImageDraw.Draw(small), (0, 0), "label", size=12)
    kit.write(ImageDraw.Draw(large), (0, 0), "label", size=24)
    assert not np.array_equal(np.asarray(small), np.asarray(large))


def test_widths_are_pillows_rounded_up():
    font = kit._font(16)
    assert text.width(font, "y[0, 1] = -0.25") == int(np.ceil(font.getlength("y[0, 1] = -0.25")))
    assert text.width(font, "") == 0 and text.width(font, "ii") < text.width(font, "WW")
