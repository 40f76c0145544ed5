"""Convolution versus cross-correlation: the kernel flip.

Taught in ``notebooks/07_flipping.ipynb``.

A deep-learning "conv2d" (PyTorch, TensorFlow, cs231n) is a CROSS-CORRELATION:
it slides the kernel as it is. A convolution in the mathematical sense flips
the kernel along every axis first. For learned kernels the difference does
not matter (the network simply learns the flipped weights), which is why the
libraries compute correlation and call it convolution.

In convlib, ``correlate*`` never flips and ``convolve*`` always does:
:func:`convlib.convolve` is written as exactly that, a correlation with
``flip(kernel)``.

This module also holds the tools of notebook 07:

- :func:`flips`, the impulse test: one call tells whether any library function
  flips its kernel (a convolution returns the kernel for an impulse, a
  correlation its flip);
- :func:`fit_kernel`, least squares on the windows (the X_col of notebook 03)
  for a correlation model or a convolution model: the two learned kernels are
  each other's flip and fit equally well;
- :func:`normalised_correlation` and :func:`autocorrelation`, correlation as a
  measure of similarity (template matching, the period of a pattern).

It imports only NumPy, :mod:`convlib.validation` and :mod:`convlib.internal`:
:mod:`convlib.methods` imports this module, so the windows are taken here with NumPy's
``sliding_window_view`` rather than with convlib's methods.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .internal import flipped
from .validation import as_array, as_int, as_shape, check_choice, check_arrays, check_memory, check_time, describe
from .i18n import _

__all__ = ["autocorrelation", "fit_kernel", "flip", "flips", "impulse_response", "normalised_correlation"]

_MODELS = ("correlation", "convolution")

# The impulse test's kernels: every value different and none zero, so that the
# response shows the kernel, its flip, or anything else (a transpose) unambiguously.
_PROBES = {1: np.array([1.0, 2.0, 3.0]), 2: np.arange(1.0, 7.0).reshape(2, 3)}
_IMPULSE_SIZE = {1: (15,), 2: (9, 11)}


def flip(kernel):
    """Reverse `kernel` along every axis (a 180 degree rotation in 2-D).

    Returns a read-only view, as ``sliding_window_view`` does: no copy is
    made, and writing to it cannot change `kernel` by accident.

    Examples
    --------
    >>> flip([[1, 2], [3, 4]])
    array([[4, 3],
           [2, 1]])
    """
    return flipped(as_array(kernel, "kernel", ndim=(1, 2)))


# --- The impulse test --------------------------------------------------------------

def _check_ndim(ndim):
    ndim = as_int(ndim, "ndim", minimum=1)
    if ndim not in _PROBES:
        raise ValueError(_("`ndim` must be 1 or 2; got {ndim}").format(ndim=ndim))
    return ndim


def _impulse(ndim):
    impulse = np.zeros(_IMPULSE_SIZE[ndim])
    impulse[tuple(n // 2 for n in impulse.shape)] = 1.0
    return impulse


def _crop(response):
    """The smallest block of `response` that holds all its nonzero values."""
    nonzero = np.abs(response) > 1e-9 * np.abs(response).max()
    corners = [np.flatnonzero(nonzero.any(axis=tuple(a for a in range(response.ndim) if a != axis)))
               for axis in range(response.ndim)]
    return response[tuple(slice(c[0], c[-1] + 1) for c in corners)]


def impulse_response(function, ndim=1):
    """Call ``function(impulse, kernel)`` once and return the nonzero part of its output.

    The impulse is a single 1 among zeros (length 15 in 1-D, 9x11 in 2-D), the
    kernel ``[1, 2, 3]`` in 1-D and ``[[1, 2, 3], [4, 5, 6]]`` in 2-D: every
    value different, so the response shows how `function` applies its kernel.
    A convolution returns the kernel itself, a correlation its flip. The output
    may be any mode (full, same, valid) and a NumPy array or a PyTorch tensor.

    Examples
    --------
    >>> impulse_response(np.convolve)
    array([1., 2., 3.])
    >>> impulse_response(np.correlate)
    array([3., 2., 1.])
    """
    if not callable(function):
        raise TypeError(_("`function` must be callable as function(x, kernel); got {function}").format(
                            function=describe(function)))
    ndim = _check_ndim(ndim)
    impulse, probe = _impulse(ndim), _PROBES[ndim].copy()
    output = as_array(function(impulse, probe), "the output of `function`")
    while output.ndim > ndim and output.shape[0] == 1:  # a batch or channel axis of one (PyTorch)
        output = output[0]
    if output.ndim != ndim:
        raise ValueError(_("`function` must return an array of {ndim} dimension(s) for {ndim}-D input; "
                           "got {output}").format(
                             ndim=ndim, output=describe(output)))
    if not np.any(output):
        raise ValueError(_("`function` returned only zeros for an impulse and the kernel {probe_tolist}: it does not "
                           "filter its first argument with its second").format(probe_tolist=probe.tolist()))
    return _crop(output)


def flips(function, ndim=1):
    """The impulse test: does ``function(x, kernel)`` flip its kernel (a convolution)?

    One call with an impulse and an asymmetric kernel (see
    :func:`impulse_response`): True if the response is the kernel (the function
    convolves), False if it is the kernel's flip (it correlates). Anything else
    (a transposed kernel, a response cut off by the output's edges) raises a
    ValueError that shows the response.

    Parameters
    ----------
    function : callable
        Called once as ``function(x, kernel)`` with NumPy arrays of `ndim`
        dimensions; wrap a library with another signature in a lambda.
    ndim : int
        1 for signals, 2 for images.

    Examples
    --------
    >>> import scipy.signal
    >>> flips(np.convolve), flips(np.correlate), flips(scipy.signal.correlate2d, ndim=2)
    (True, False, False)
    """
    response = impulse_response(function, ndim)
    probe = _PROBES[_check_ndim(ndim)]
    for answer, expected in ((True, probe), (False, np.flip(probe))):
        if response.shape == expected.shape and np.allclose(response, expected):
            return answer
    raise ValueError(
        _("`function`'s response to an impulse is neither the kernel {probe_tolist} nor its flip; got "
          "{np_round_response_6_tolist}").format(
            probe_tolist=probe.tolist(), np_round_response_6_tolist=np.round(response, 6).tolist())
    )


# --- Learned kernels ------------------------------------------------------------------

def _design(x, kernel_shape, model):
    """One row per valid window, its values in the order the model multiplies them by w.ravel().

    The rows are the columns of notebook 03's X_col. A convolution multiplies
    window[a, b] by w[K-1-a, K-1-b], so its rows are the windows reversed.
    """
    rows = sliding_window_view(x, kernel_shape).reshape(-1, int(np.prod(kernel_shape)))
    return rows[:, ::-1] if model == "convolution" else rows


def fit_kernel(x, y, kernel_shape, model="correlation"):
    """The kernel w that makes ``model(x, w)`` closest to `y`, by least squares.

    `model` is 'correlation' (the output is ``correlate(x, w, "valid")``, what a
    conv layer computes) or 'convolution' (``convolve(x, w, "valid")``). Both
    models are linear in w: each valid window is one row of a matrix (the
    X_col of notebook 03, transposed; reversed for a convolution) and w solves
    ``rows @ w.ravel() = y.ravel()`` in the least-squares sense. The two models
    fit any data equally well, with kernels that are each other's flip.

    Parameters
    ----------
    x : array_like
        The input, 1-D or 2-D.
    y : array_like
        The target output, of the valid shape ``N - K + 1`` per axis.
    kernel_shape : int or tuple of int
        The kernel's shape, one entry per axis of `x`; one int is used for every axis.
    model : str
        'correlation' or 'convolution'.

    Examples
    --------
    Data made by convolving with [1, 2, 3]: the convolution model finds it, the
    correlation model finds its flip.

    >>> x = np.array([0.0, 1.0, 0.0, 2.0, -1.0, 3.0])
    >>> y = np.convolve(x, [1.0, 2.0, 3.0], mode="valid")
    >>> fit_kernel(x, y, 3, "convolution").round(6)
    array([1., 2., 3.])
    >>> fit_kernel(x, y, 3, "correlation").round(6)
    array([3., 2., 1.])
    """
    x = as_array(x, "x", ndim=(1, 2))
    y = as_array(y, "y", ndim=x.ndim)
    if not isinstance(kernel_shape, (tuple, list)):  # one size for every axis, as a layer's kernel_size
        kernel_shape = (as_int(kernel_shape, "kernel_shape", minimum=1),) * x.ndim
    kernel_shape = as_shape(kernel_shape, "kernel_shape", ndim=x.ndim)
    check_choice(model, "model", _MODELS)
    valid = tuple(n - k + 1 for n, k in zip(x.shape, kernel_shape))
    if min(valid) < 1 or y.shape != valid:
        raise ValueError(_("`y` must have the valid output's shape N - K + 1 per axis, {valid} for x of shape "
                           "{x_shape} and kernel_shape {kernel_shape}; got shape {y_shape}").format(
                             valid=valid, x_shape=x.shape, kernel_shape=kernel_shape, y_shape=y.shape))
    check_memory((int(np.prod(valid)), int(np.prod(kernel_shape))), np.float64, _("the matrix of windows"),
                 _("fit on a smaller input"))
    solution, *_rest = np.linalg.lstsq(_design(x.astype(float), kernel_shape, model), y.ravel(), rcond=None)
    return solution.reshape(kernel_shape)


# --- Correlation as similarity ----------------------------------------------------------

def normalised_correlation(image, template):
    """The cosine between `template` and every valid window of `image` (template matching).

    ``correlate(image, template, "valid")`` divided by the lengths of the
    window and of the template: 1 exactly where a window is a positive
    multiple of the template, and never more (Cauchy-Schwarz). Windows of zeros
    get 0. 1-D or 2-D, as notebook 02 computes it.

    Examples
    --------
    >>> normalised_correlation([0.0, 1.0, 2.0, 0.0, 2.0, 1.0], [1.0, 2.0]).round(3)
    array([0.894, 1.   , 0.447, 0.894, 0.8  ])
    """
    image = as_array(image, "image", ndim=(1, 2))
    template = as_array(template, "template", ndim=image.ndim)
    if any(k > n for n, k in zip(image.shape, template.shape)):
        raise ValueError(_("`template` must fit inside `image` along every axis; got template shape {template_shape} "
                           "for image shape {image_shape}").format(
                             template_shape=template.shape, image_shape=image.shape))
    if not np.any(template):
        raise ValueError(_("`template` must not be all zeros: its length is the denominator"))
    valid = tuple(n - k + 1 for n, k in zip(image.shape, template.shape))
    check_arrays([(image.shape, float), (valid + template.shape, float)] + [(valid, float)] * 3,
                 _("the input as floats, the squared windows and the three results"), _("use a smaller image"))
    views = sliding_window_view(image.astype(float), template.shape)
    axes = tuple(range(image.ndim, 2 * image.ndim))
    raw = np.tensordot(views, template, axes=image.ndim)
    lengths = np.sqrt(np.sum(views**2, axis=axes)) * np.linalg.norm(template)
    return np.divide(raw, lengths, out=np.zeros_like(raw), where=lengths > 0)


def autocorrelation(x):
    """The correlation of a 1-D signal with itself at lags 0, 1, ..., N-1, normalised to 1 at lag 0.

    The mean is removed first; a pattern that repeats every P samples has a
    peak at lag P. A correlation of x with itself is the same whichever way it
    is read (it is symmetric in the lag), so here the flip does not matter.

    Examples
    --------
    >>> autocorrelation([1.0, -1.0, 1.0, -1.0]).round(3)
    array([ 1.  , -0.75,  0.5 , -0.25])
    """
    x = as_array(x, "x", ndim=1)
    check_time(x.size**2, 1e9, _("the autocorrelation of {x_size} samples (N^2 multiply-adds)").format(x_size=x.size),
               _("use a shorter signal, or scipy.signal.correlate(x, x, method='fft')"))
    x = x.astype(float)
    centred = x - x.mean()
    if not np.any(centred):
        raise ValueError(_("`x` must not be constant: its autocorrelation is 0 / 0"))
    full = np.correlate(centred, centred, mode="full")
    return full[x.size - 1:] / full[x.size - 1]
