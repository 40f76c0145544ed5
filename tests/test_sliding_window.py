"""convlib.sliding_window (notebook 01): the definition, and every window as a view."""

import numpy as np
import pytest
import scipy.signal

import convlib


def test_windows_is_a_view_whose_values_encode_their_coordinates():
    i, j = np.ogrid[:4, :5]
    x = 10 * i + j
    views = convlib.windows(x, (2, 3))
    assert views.shape == (3, 3, 2, 3) and np.shares_memory(views, x) and not views.flags.writeable
    for r, c in np.ndindex(3, 3):
        np.testing.assert_array_equal(views[r, c], x[r:r + 2, c:c + 3])


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("correlate", [convlib.correlate_loop, convlib.correlate_windows])
def test_both_methods_are_the_definition_sum_of_window_times_kernel(correlate, mode):
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((6, 7)), rng.standard_normal((3, 2))
    padded = convlib.pad_for_mode(x, w.shape, mode)
    expected = [[np.sum(padded[r:r + 3, c:c + 2] * w) for c in range(padded.shape[1] - 1)]
                for r in range(padded.shape[0] - 2)]
    np.testing.assert_allclose(correlate(x, w, mode), expected, atol=1e-12)
    np.testing.assert_allclose(correlate(x, w, mode), scipy.signal.correlate(x, w, mode), atol=1e-12)


def test_the_loop_refuses_work_that_would_outlast_the_time_limit():
    x, w = np.broadcast_to(0.0, (3000, 3000)), np.ones((31, 31))
    with pytest.raises(ValueError, match=r"a Python loop over 9180900 output positions would take about 134 s"):
        convlib.correlate_loop(x, w)
