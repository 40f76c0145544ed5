"""Every method of METHODS against SciPy's signal functions and against every other."""

import itertools

import numpy as np
import pytest
import scipy.signal

import convlib

MODES = ("full", "same", "valid")
# (x shape, kernel shape): odd, even, non-square, 1x1 and kernel == input
SHAPES = [
    ((9,), (3,)), ((9,), (4,)), ((5,), (5,)), ((6,), (1,)),
    ((7, 8), (3, 3)), ((7, 8), (2, 4)), ((6, 5), (6, 5)), ((6, 7), (1, 1)), ((5, 9), (4, 1)),
]
# float64 agrees to rounding; float32 carries ~7 digits and the FFT spreads
# rounding over all outputs, so its tolerance is relative to the output scale.
TOLERANCE = {np.float64: 1e-10, np.float32: 2e-4, np.int64: 1e-10}


def _data(x_shape, k_shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == np.int64:
        return rng.integers(-5, 6, x_shape), rng.integers(-3, 4, k_shape)
    return rng.standard_normal(x_shape).astype(dtype), rng.standard_normal(k_shape).astype(dtype)


def _close(actual, expected, dtype):
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(actual, expected, rtol=0, atol=TOLERANCE[dtype] * scale)


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64], ids=lambda d: d.__name__)
def test_correlate_matches_scipy(method, mode, shapes, dtype):
    x, kernel = _data(*shapes, dtype)
    expected = scipy.signal.correlate(x.astype(float), kernel.astype(float), mode)
    actual = convlib.correlate(x, kernel, mode, method=method)
    assert actual.shape == expected.shape
    assert actual.dtype == (np.float32 if dtype == np.float32 else np.float64)
    _close(actual, expected, dtype)


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_convolve_matches_scipy(method, mode, shapes):
    x, kernel = _data(*shapes, np.float64, seed=1)
    expected = scipy.signal.convolve(x, kernel, mode)
    _close(convlib.convolve(x, kernel, mode, method=method), expected, np.float64)


@pytest.mark.parametrize("first, second", list(itertools.combinations(sorted(convlib.METHODS), 2)))
@pytest.mark.parametrize("mode", MODES)
def test_every_method_agrees_with_every_other(first, second, mode):
    x, kernel = _data((11, 10), (4, 3), np.float64, seed=2)
    _close(convlib.METHODS[first](x, kernel, mode), convlib.METHODS[second](x, kernel, mode), np.float64)


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
def test_correlate_calls_the_method_it_names(method, monkeypatch):
    calls = []
    original = convlib.METHODS[method]
    monkeypatch.setitem(convlib.METHODS, method, lambda *args: calls.append(args) or original(*args))
    convlib.correlate(np.ones(5), np.ones(2), "valid", method=method)
    assert len(calls) == 1, "correlate must not fall back silently to another method"


def test_convolve_is_correlate_with_the_flipped_kernel():
    x, kernel = _data((6, 6), (3, 2), np.float64, seed=3)
    np.testing.assert_array_equal(convlib.convolve(x, kernel), convlib.correlate(x, convlib.flip(kernel)))
    assert not np.allclose(convlib.convolve(x, kernel), convlib.correlate(x, kernel))


def test_the_course_example():
    x, w = [1, 2, 3, 4], [5, 6, 7]
    np.testing.assert_allclose(convlib.convolve(x, w, "full"), np.convolve(x, w, "full"))
    np.testing.assert_allclose(convlib.correlate(x, w, "valid"), np.correlate(x, w, "valid"))


def test_circular_convolution_wraps_around_and_padding_removes_it():
    rng = np.random.default_rng(4)
    x, kernel = rng.standard_normal(8), rng.standard_normal(3)
    # circular = linear result with the tail added onto the head
    linear = scipy.signal.convolve(x, kernel, "full")
    wrapped = linear[:8].copy()
    wrapped[:2] += linear[8:]
    np.testing.assert_allclose(convlib.circular_convolve(x, kernel), wrapped)


@pytest.mark.parametrize("name", ["windows", "fft"])
def test_float32_stays_float32(name):
    x = np.ones((8, 8), np.float32)
    assert convlib.correlate(x, np.ones((3, 3), np.float32), method=name).dtype == np.float32
