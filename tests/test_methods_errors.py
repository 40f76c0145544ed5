"""Bad input gets a sentence naming the argument, what is allowed and what was received."""

import numpy as np
import pytest

import convlib


@pytest.mark.parametrize("method", sorted(convlib.METHODS))
@pytest.mark.parametrize("x, kernel, mode, error, message", [
    ([1, 2, 3], [1, 1], "vaild", ValueError, r"`mode` must be one of 'full', 'same', 'valid'; got 'vaild'"),
    (np.ones((2, 2, 2)), np.ones((2, 2, 2)), "full", ValueError, r"`x` must have 1 or 2 dimensions; got 3 dimensions"),
    ([1, 2, 3], [[1, 1]], "full", ValueError, r"same number of dimensions; got x.ndim = 1 and kernel.ndim = 2"),
    ([], [1], "full", ValueError, r"`x` must not be empty"),
    ([1, 2], [1j, 1], "full", TypeError, r"`kernel` must be an array of real numbers; got complex values"),
    (["a", "b"], [1], "full", TypeError, r"`x` must be an array of real numbers; got values of dtype <U1"),
    ([[1, 2], [3]], [1], "full", TypeError, r"`x` must be an array of real numbers; got \[\[1, 2\], \[3\]\]"),
    ([1, 2], [1, 2, 3], "valid", ValueError, r"in 'valid' mode `kernel` must fit inside `x`.*kernel shape \(3,\) for x shape \(2,\)"),
])
def test_method_errors(method, x, kernel, mode, error, message):
    with pytest.raises(error, match=message):
        convlib.METHODS[method](x, kernel, mode)


def test_unknown_method():
    with pytest.raises(ValueError, match=r"`method` must be one of 'loop', 'dot', 'im2col', 'windows', 'matrix', 'fft'; got 'fast'"):
        convlib.correlate([1, 2], [1], method="fast")


def test_bad_shapes_for_the_matrix():
    with pytest.raises(ValueError, match=r"`input_shape` must be an integer >= 1; got 0"):
        convlib.correlation_matrix((0, 3), np.ones((1, 1)))
    with pytest.raises(TypeError, match=r"`input_shape` must be an integer >= 1; got 2.5"):
        convlib.correlation_matrix(2.5, [1])
    with pytest.raises(ValueError, match=r"`kernel_shape` must have 2 entries; got 3"):
        convlib.weight_index((4, 4), 3)


def test_circular_convolution_needs_a_kernel_no_larger_than_x():
    with pytest.raises(ValueError, match=r"`kernel` must not be larger than `x`"):
        convlib.circular_convolve([1, 2], [1, 2, 3])
