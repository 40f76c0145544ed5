"""Named kernels with their usual definitions, shared by the notebooks.

Every kernel is meant to be CORRELATED with an image, as a convolutional layer
does (:func:`convlib.correlate`, ``mode="same"``). Signs are stated for that use.
Every call returns a new array, so changing one in a notebook cell changes
nothing elsewhere.
"""

from collections.abc import Mapping

import numpy as np

from .validation import as_int, as_positive_number, check_memory
from .i18n import N_, _

__all__ = ["KERNELS", "asymmetric", "box_blur", "emboss", "gaussian", "identity", "laplacian", "sharpen", "sobel_x",
           "sobel_y"]


def _odd_size(size, name="size"):
    size = as_int(size, name, minimum=1)
    if size % 2 == 0:
        raise ValueError(_("`{name}` must be a positive odd integer (so the kernel has a centre); got {size}").format(
                             name=name, size=size))
    return size


def identity(size=3):
    """A single 1 in the centre: the output equals the input.

    Examples
    --------
    >>> identity()
    array([[0., 0., 0.],
           [0., 1., 0.],
           [0., 0., 0.]])
    """
    size = _odd_size(size)
    check_memory((size, size), np.float64, _("the kernel"), _("use a smaller size"))
    kernel = np.zeros((size, size))
    kernel[size // 2, size // 2] = 1.0
    return kernel


def box_blur(size=3):
    """The mean of a size x size window: every weight 1/size**2.

    Examples
    --------
    >>> box_blur(3).sum()
    np.float64(1.0)
    """
    size = as_int(size, "size", minimum=1)
    check_memory((size, size), np.float64, _("the kernel"), _("use a smaller size"))
    return np.full((size, size), 1.0 / size**2)


def gaussian(size=5, sigma=1.0):
    """A Gaussian blur, normalised to sum to 1: nearer pixels weigh more.

    Examples
    --------
    >>> k = gaussian(5, sigma=1.0)
    >>> k.shape, round(k.sum(), 12), bool(k[2, 2] == k.max())
    ((5, 5), np.float64(1.0), True)
    """
    size = _odd_size(size)
    sigma = as_positive_number(sigma, "sigma")
    check_memory((size, size), np.float64, _("the kernel"), _("use a smaller size"))
    r = np.arange(size) - size // 2
    with np.errstate(over="ignore"):  # a tiny sigma: r / sigma overflows, the weight is 0, not 0/0
        bell = np.exp(-((r / sigma) ** 2) / 2)
    kernel = np.outer(bell, bell)
    return kernel / kernel.sum()


def sobel_x():
    """Horizontal gradient: positive where brightness increases to the right.

    Examples
    --------
    >>> sobel_x()
    array([[-1.,  0.,  1.],
           [-2.,  0.,  2.],
           [-1.,  0.,  1.]])
    """
    return np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def sobel_y():
    """Vertical gradient: positive where brightness increases downwards."""
    return sobel_x().T.copy()


def laplacian():
    """Second derivative in both directions: zero on flat and linear regions."""
    return np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def sharpen():
    """The identity plus the negative Laplacian: edges stand out."""
    return identity() - laplacian()


def emboss():
    """A diagonal gradient plus the image: a relief lit from the top left."""
    return np.array([[-2.0, -1.0, 0.0], [-1.0, 1.0, 1.0], [0.0, 1.0, 2.0]])


def asymmetric():
    """An L-shaped kernel whose flip looks different: it makes flipping visible.

    Examples
    --------
    >>> asymmetric()
    array([[1., 0., 0.],
           [1., 0., 0.],
           [1., 1., 1.]])
    """
    return np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 1.0]])


class _Fresh(Mapping):
    """A read-only mapping of names to functions: each lookup returns a new array."""

    def __init__(self, makers):
        self._makers = makers

    def __getitem__(self, name):
        return self._makers[name]()

    def __iter__(self):
        return iter(self._makers)

    def __len__(self):
        return len(self._makers)


KERNELS = _Fresh({
    N_("identity"): identity,
    N_("box blur"): box_blur,
    N_("gaussian"): lambda: gaussian(3, sigma=0.8),
    N_("sobel x"): sobel_x,
    N_("sobel y"): sobel_y,
    N_("laplacian"): laplacian,
    N_("sharpen"): sharpen,
    N_("emboss"): emboss,
    N_("asymmetric"): asymmetric,
})
"""The named 3x3 kernels, for menus: ``KERNELS["sobel x"]`` is a new array each time."""
