"""Reading a picture's pixels: the checks every picture and widget test shares."""

import numpy as np

from convlib import viz


def pixels(picture):
    """The picture's RGB pixels, after checking that it is a convlib Picture in RGB."""
    assert isinstance(picture, viz.Picture) and picture.image.mode == "RGB"
    return picture.pixels()


def where_colour(array, colour):
    """(rows, cols) of the pixels of exactly `colour`."""
    return np.nonzero(np.all(array == np.array(colour, dtype=np.uint8), axis=-1))


def has_colour(picture, colour):
    """Whether any pixel of the picture is exactly `colour`."""
    return bool(np.all(pixels(picture) == np.array(colour, np.uint8), axis=-1).any())
