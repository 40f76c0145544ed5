"""Images that need no download: a portrait that ships with matplotlib, and small
synthetic pictures whose filtered versions are easy to predict.

Every image is a 2-D float64 array with values in [0, 1].
"""

import functools
import pathlib
import warnings

import numpy as np

from .validation import as_int, check_memory, describe
from .i18n import _

__all__ = ["IMAGES", "checkerboard", "impulse", "letter", "load_image", "portrait", "portrait_rgb", "step_edge"]


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


def _side(size, minimum, arrays=1):
    """`size` checked, and refused before `arrays` float64 images of size x size outgrow the memory limit."""
    size = as_int(size, "size", minimum=minimum)
    check_memory((arrays, size, size), np.float64, _("a {size} x {size} image").format(size=size),
                 _("use a smaller size"))
    return size


def _resize(image, size):
    from PIL import Image

    size = _side(size, minimum=2, arrays=2)
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
        size = _side(size, minimum=2, arrays=4)  # three channels, and the uint8 pixels
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
    size = _side(size, minimum=2)
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
    size = _side(size, minimum=1, arrays=4)  # two index arrays, their sum, the result
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
    size = _side(size, minimum=1)
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
    size = _side(size, minimum=8)
    image = np.zeros((size, size))
    unit = size // 8
    image[unit:size - unit, unit:2 * unit] = 1.0          # the stem
    image[unit:2 * unit, unit:size - unit] = 1.0          # the top bar
    image[3 * unit:4 * unit, unit:size - 3 * unit] = 1.0  # the middle bar
    return image


def load_image(path, size=None):
    """A learner's own picture as a grayscale array in [0, 1], upright.

    Reads what cameras, phones and drawing programs write: 8- and 16-bit, grey,
    RGB, palette and CMYK images; transparent pixels are shown on white, as a
    page shows them; a phone photo is turned upright by its EXIF orientation; an
    animation gives its first frame; a floating-point image (a TIFF, say) must
    already hold brightness in [0, 1]. Anything else, and a picture too large for
    convlib's memory limit, raises a ValueError naming the file and the reason.
    `size` (optional) resizes it to a size x size square.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    path = _image_file(path)
    if size is not None:
        size = _side(size, minimum=2, arrays=2)  # refused before the file is read
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the memory check below decides
            with Image.open(path) as pil:
                _check_pixels(pil, path)
                image = _brightness(ImageOps.exif_transpose(pil), path)
    except UnidentifiedImageError:
        raise ValueError(_("`path` must be an image Pillow can read (PNG, JPEG, ...); got {path!r}").format(
                             path=str(path))) from None
    except Image.DecompressionBombError:
        raise ValueError(_("`path` names an image too large to read safely: {path!r}").format(path=str(path))) from None
    except OSError as error:  # truncated or damaged pixel data
        raise ValueError(_("`path` names an image that could not be read: {path!r} ({error})").format(
                             path=str(path), error=error)) from None
    return image if size is None else _resize(image, size)


def _image_file(path):
    """`path` as a pathlib.Path naming an existing file, or a clear error."""
    if not isinstance(path, (str, pathlib.PurePath)):
        raise TypeError(_("`path` must be a file name (a str or a pathlib.Path); got {path}").format(
                            path=describe(path)))
    path = pathlib.Path(path)
    if path.is_dir():
        raise ValueError(_("`path` must name an image file; got {path!r}, which is a folder").format(path=str(path)))
    if not path.is_file():
        raise ValueError(_("`path` must name an existing image file; got {path!r}, which does not exist").format(
                             path=str(path)))
    return path


def _check_pixels(pil, path):
    """Refuse, before decoding, a picture whose pixels would not fit the memory limit.

    Reading needs the decoded pixels and the float64 result: 16 bytes a pixel at most."""
    check_memory((pil.height, pil.width, 2), np.float64,
                  _("reading {path!r} ({pil_width} x {pil_height} pixels)").format(
                      path=str(path), pil_width=pil.width, pil_height=pil.height), _("use a smaller picture"))


def _brightness(pil, path):
    """Pixel brightness in [0, 1] for every mode Pillow opens."""
    from PIL import Image

    if pil.mode.startswith("I;16"):
        return np.asarray(pil, dtype=np.float64) / 65535.0
    if pil.mode in ("I", "F"):
        values = np.asarray(pil, dtype=np.float64)
        return values / 65535.0 if pil.mode == "I" and _within(values, 0, 65535) else _unit(values, path)
    if pil.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in pil.info:
        page = Image.new("RGBA", pil.size, "white")
        pil = Image.alpha_composite(page, pil.convert("RGBA"))
    if pil.mode != "L":
        pil = pil.convert("RGB").convert("L")  # via RGB: CMYK, YCbCr, palette and 1-bit alike
    return np.asarray(pil, dtype=np.float64) / 255.0


def _within(values, low, high):
    return bool(np.all(np.isfinite(values)) and values.min() >= low and values.max() <= high)


def _unit(values, path):
    """Floating-point (or 32-bit) brightness, accepted only where it already lies in [0, 1]."""
    if not _within(values, 0.0, 1.0):
        raise ValueError(
            _("`path` names an image whose values are not brightness in [0, 1]: {path!r} holds values from "
              "{nanmin_values:g} to {nanmax_values:g}; scale it to [0, 1] first").format(
                path=str(path), nanmin_values=np.nanmin(values), nanmax_values=np.nanmax(values))
        )
    return values


IMAGES = {
    "portrait": portrait,
    "step edge": step_edge,
    "checkerboard": checkerboard,
    "impulse": impulse,
    "letter": letter,
}
"""Name -> function returning the image, for menus."""
