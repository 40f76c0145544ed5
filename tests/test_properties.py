"""Properties every convolution has, checked on random small inputs with hypothesis."""

import numpy as np
import scipy.signal
from hypothesis import assume, given, settings, strategies as st
from hypothesis.extra.numpy import arrays

import convlib

values = st.floats(-10, 10, allow_nan=False, width=64)
# Derandomized: the same examples on every run, so CI cannot fail by luck.
fast = settings(max_examples=30, deadline=None, derandomize=True)


def signal(min_side=1, max_side=8, ndim=2):
    return arrays(np.float64, st.tuples(*[st.integers(min_side, max_side)] * ndim), elements=values)


@fast
@given(signal(), signal(max_side=4), st.floats(-3, 3), st.sampled_from(sorted(convlib.METHODS)))
def test_linearity(x, kernel, a, method):
    y = np.random.default_rng(0).standard_normal(x.shape)
    left = convlib.correlate(a * x + y, kernel, "full", method)
    right = a * convlib.correlate(x, kernel, "full", method) + convlib.correlate(y, kernel, "full", method)
    np.testing.assert_allclose(left, right, atol=1e-8 * (1 + np.abs(left).max()))


@fast
@given(signal(min_side=4, max_side=9), signal(max_side=3), st.integers(1, 3), st.integers(0, 2))
def test_shift_equivariance_away_from_borders(x, kernel, down, right):
    shifted = np.roll(x, (down, right), axis=(0, 1))
    out, out_shifted = convlib.correlate(x, kernel, "valid"), convlib.correlate(shifted, kernel, "valid")
    # Outputs whose windows never wrapped around agree, shifted by the same amount.
    h, w = out.shape
    assume(down < h and right < w)
    np.testing.assert_allclose(out_shifted[down:, right:], out[:h - down, :w - right], atol=1e-9)


@fast
@given(signal(), signal())
def test_full_convolution_is_commutative(x, y):
    np.testing.assert_allclose(convlib.convolve(x, y, "full"), convlib.convolve(y, x, "full"), atol=1e-8 * (1 + np.abs(x).sum() * np.abs(y).max()))


@fast
@given(signal(ndim=1, max_side=30), signal(ndim=1, max_side=10), st.sampled_from(["full", "same"]))
def test_fft_equals_direct(x, kernel, mode):
    expected = scipy.signal.correlate(x, kernel, mode, method="direct")
    np.testing.assert_allclose(convlib.correlate_fft(x, kernel, mode), expected, atol=1e-9 * (1 + np.abs(x).sum() * np.abs(kernel).max()))
