"""Images that need no download: a portrait that ships with matplotlib, and small
synthetic pictures whose filtered versions are easy to predict.

Every image is a 2-D float64 array with values in [0, 1].
"""

import functools
import pathlib

import numpy as np

from .validation import as_int, describe


@functools.lru_cache(maxsize=1)
def _grace_hopper():
    from matplotlib import cbook  # imported here: `import convlib` stays light
    from PIL import Image

    with cbook.get_sample_data("grace_hopper.jpg") as file:
        return np.asarray(Image.open(file).convert("L"), dtype=np.float64) / 255.0


@functools.lru_cache(maxsize=1)
def _grace_hopper_rgb():
    from matplotlib import cbook
    from PIL import Image

    with cbook.get_sample_data("grace_hopper.jpg") as file:
        return np.asarray(Image.open(file).convert("RGB"))  # (600, 512, 3) uint8, channels-last


def _resize(image, size):
    from PIL import Image

    size = as_int(size, "size", minimum=2)
    pil = Image.fromarray(np.round(image * 255).astype(np.uint8))
    return np.asarray(pil.resize((size, size), Image.Resampling.LANCZOS), dtype=np.float64) / 255.0


def portrait(size=None):
    """Grace Hopper's portrait (shipped with matplotlib), grayscale in [0, 1].

    Without `size` the full 600 x 512 picture; with `size` a square crop around
    the face, resized to size x size.

    Examples
    --------
    >>> portrait().shape, portrait(64).shape
    ((600, 512), (64, 64))
    """
    image = _grace_hopper()
    if size is None:
        return image.copy()
    return _resize(image[40:552, :], size)  # 512 x 512 around the face


def portrait_rgb(size=None):
    """The same portrait in colour, channels-first: (3, H, W) in [0, 1].

    Without `size` the full 600 x 512 picture; with `size` the square crop of
    :func:`portrait`, resized to size x size. Image files store pixels
    channels-last (H, W, 3); the array returned is a contiguous channels-first
    copy, the layout of PyTorch and of this course.

    Examples
    --------
    >>> portrait_rgb().shape, portrait_rgb(64).shape
    ((3, 600, 512), (3, 64, 64))
    """
    from PIL import Image

    pixels = _grace_hopper_rgb()
    if size is not None:
        size = as_int(size, "size", minimum=2)
        crop = Image.fromarray(pixels[40:552])           # 512 x 512 around the face
        pixels = np.asarray(crop.resize((size, size), Image.Resampling.LANCZOS))
    return np.ascontiguousarray(pixels.transpose(2, 0, 1)) / 255.0


def step_edge(size=32):
    """Dark left half, bright right half: one vertical edge.

    Examples
    --------
    >>> step_edge(4)
    array([[0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [0., 0., 1., 1.]])
    """
    size = as_int(size, "size", minimum=2)
    image = np.zeros((size, size))
    image[:, size // 2:] = 1.0
    return image


def checkerboard(size=32, square=4):
    """Alternating squares of side `square`.

    Examples
    --------
    >>> checkerboard(4, square=2)
    array([[0., 0., 1., 1.],
           [0., 0., 1., 1.],
           [1., 1., 0., 0.],
           [1., 1., 0., 0.]])
    """
    size = as_int(size, "size", minimum=1)
    square = as_int(square, "square", minimum=1)
    i, j = np.indices((size, size)) // square
    return ((i + j) % 2).astype(np.float64)


def impulse(size=9):
    """A single bright pixel in the centre: filtering it draws the kernel.

    Examples
    --------
    >>> impulse(3)
    array([[0., 0., 0.],
           [0., 1., 0.],
           [0., 0., 0.]])
    """
    size = as_int(size, "size", minimum=1)
    image = np.zeros((size, size))
    image[size // 2, size // 2] = 1.0
    return image


def letter(size=32):
    """A capital F: no symmetry, so every flip and shift shows.

    Examples
    --------
    >>> letter(8).astype(int)
    array([[0, 0, 0, 0, 0, 0, 0, 0],
           [0, 1, 1, 1, 1, 1, 1, 0],
           [0, 1, 0, 0, 0, 0, 0, 0],
           [0, 1, 1, 1, 1, 0, 0, 0],
           [0, 1, 0, 0, 0, 0, 0, 0],
           [0, 1, 0, 0, 0, 0, 0, 0],
           [0, 1, 0, 0, 0, 0, 0, 0],
           [0, 0, 0, 0, 0, 0, 0, 0]])
    """
    size = as_int(size, "size", minimum=8)
    image = np.zeros((size, size))
    unit = size // 8
    image[unit:size - unit, unit:2 * unit] = 1.0          # the stem
    image[unit:2 * unit, unit:size - unit] = 1.0          # the top bar
    image[3 * unit:4 * unit, unit:size - 3 * unit] = 1.0  # the middle bar
    return image


def load_image(path, size=None):
    """A learner's own picture as a grayscale array in [0, 1].

    `size` (optional) resizes it to a size x size square.
    """
    from PIL import Image, UnidentifiedImageError

    if not isinstance(path, (str, pathlib.PurePath)):
        raise TypeError(f"`path` must be a file name (a str or a pathlib.Path); got {describe(path)}")
    path = pathlib.Path(path)
    if path.is_dir():
        raise ValueError(f"`path` must name an image file; got {str(path)!r}, which is a folder")
    if not path.is_file():
        raise ValueError(f"`path` must name an existing image file; got {str(path)!r}, which does not exist")
    try:
        with Image.open(path) as pil:
            image = np.asarray(pil.convert("L"), dtype=np.float64) / 255.0
    except UnidentifiedImageError:
        raise ValueError(f"`path` must be an image Pillow can read (PNG, JPEG, ...); got {str(path)!r}") from None
    return image if size is None else _resize(image, size)


IMAGES = {
    "portrait": portrait,
    "step edge": step_edge,
    "checkerboard": checkerboard,
    "impulse": impulse,
    "letter": letter,
}
"""Name -> function returning the image, for menus."""
