"""The convolution theorem: convolution in space is multiplication of spectra.

Taught in ``notebooks/07_fft.ipynb``. Multiplying two discrete Fourier
transforms gives a *circular* convolution (the signal wraps around). Zero-
padding both arrays to at least N + M - 1 samples per axis makes the
wrap-around land on zeros, which gives the ordinary (linear) convolution; the
padded length is rounded up to a size the FFT handles fast
(:func:`scipy.fft.next_fast_len`).

`mode` gives the output length per axis: 'full' N+M-1, 'same' N, 'valid' N-M+1.
"""

import numpy as np
import scipy.fft

from .flipping import _flip
from .modes import _output_shape, _pad_widths, prepare
from .validation import as_array, check_memory

__all__ = ["circular_convolve", "correlate_fft"]


def circular_convolve(x, kernel):
    """What multiplying unpadded spectra gives: convolution that wraps around.

    The kernel is zero-padded to the shape of `x` (not beyond), so outputs near
    the start mix in values from the end of `x`.

    Examples
    --------
    >>> circular_convolve([1, 2, 3, 4], [1, 1])
    array([5., 3., 5., 7.])
    """
    x = as_array(x, "x", ndim=(1, 2))
    kernel = as_array(kernel, "kernel", ndim=x.ndim)
    if any(m > n for n, m in zip(x.shape, kernel.shape)):
        raise ValueError(
            f"`kernel` must not be larger than `x` for a circular convolution; "
            f"got kernel shape {kernel.shape} for x shape {x.shape}"
        )
    spectrum = scipy.fft.rfftn(x, x.shape) * scipy.fft.rfftn(kernel, x.shape)
    return scipy.fft.irfftn(spectrum, x.shape)


def _linear_convolve(x, kernel):
    """Full linear convolution: pad to a fast length >= N+M-1, multiply spectra."""
    full = [n + m - 1 for n, m in zip(x.shape, kernel.shape)]
    fast = [scipy.fft.next_fast_len(n, real=True) for n in full]
    check_memory(fast, np.complex128, "the padded spectra", "use a smaller input or kernel")
    spectrum = scipy.fft.rfftn(x, fast) * scipy.fft.rfftn(kernel, fast)
    return scipy.fft.irfftn(spectrum, fast)[tuple(slice(0, n) for n in full)]


def correlate_fft(x, kernel, mode="full"):
    """Correlation through the FFT: convolve with the flipped kernel, then crop.

    Correlating with a kernel is convolving with the kernel reversed along every
    axis, and convolution is what multiplying spectra computes. `mode` is
    'full' (N+M-1), 'same' (N) or 'valid' (N-M+1): the full result is cropped.

    Every output depends on every input through the transforms, so a NaN or
    inf anywhere in `x` spreads to every output (the direct methods keep it to
    the windows that read it).

    Examples
    --------
    >>> np.round(correlate_fft([1, 2, 3, 4], [5, 6, 7], mode="valid"), 10)
    array([38., 56.])
    """
    x, kernel = prepare(x, kernel, mode)
    full = _linear_convolve(x, _flip(kernel))
    starts = [m - 1 - before for m, (before, _) in zip(kernel.shape, _pad_widths(kernel.shape, mode))]
    size = _output_shape(x.shape, kernel.shape, mode)
    return full[tuple(slice(s, s + n) for s, n in zip(starts, size))].astype(x.dtype, copy=False)
