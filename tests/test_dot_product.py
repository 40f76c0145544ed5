"""convlib.dot_product (notebook 02): each output is the dot product of a flattened window and kernel."""

import numpy as np
import pytest
import scipy.signal

import convlib


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_each_output_is_a_dot_product_of_flattened_arrays(mode):
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((5, 6)), rng.standard_normal((2, 3))
    views = convlib.windows(convlib.pad_for_mode(x, w.shape, mode), w.shape)
    expected = np.array([[window.ravel() @ w.ravel() for window in row] for row in views])
    np.testing.assert_allclose(convlib.correlate_dot(x, w, mode), expected, atol=1e-12)
    np.testing.assert_allclose(convlib.correlate_dot(x, w, mode), scipy.signal.correlate(x, w, mode), atol=1e-12)


def test_the_frobenius_inner_product_is_the_elementwise_sum():
    window, w = np.arange(6.0).reshape(2, 3), np.array([[1.0, 0.0, -1.0], [2.0, 0.5, 3.0]])
    assert convlib.correlate_dot(window, w, "valid").item() == pytest.approx(np.sum(window * w))


def test_the_loop_of_dot_products_refuses_work_that_would_outlast_the_time_limit():
    x, w = np.broadcast_to(0.0, (3000, 3000)), np.ones((31, 31))
    with pytest.raises(ValueError, match=r"a Python loop over 9180900 output positions would take about 134 s"):
        convlib.correlate_dot(x, w)
