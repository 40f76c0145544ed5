"""convlib.modes: output sizes, padding for a mode, and their errors."""

import numpy as np
import pytest

import convlib


def test_output_size_errors():
    with pytest.raises(ValueError, match=r"the kernel does not fit: its dilated size .* is 7 but the padded input has 5"):
        convlib.output_size(5, 4, dilation=2)
    with pytest.raises(TypeError, match=r"`n` must be an integer >= 1; got 5.5"):
        convlib.output_size(5.5, 3)


def test_pad_for_mode_takes_an_int_or_a_list_as_the_kernel_shape():
    np.testing.assert_array_equal(convlib.pad_for_mode(np.array([1, 2]), 3, "full"), [0, 0, 1, 2, 0, 0])
    assert convlib.pad_for_mode(np.ones((2, 2)), [2, 3], "same").shape == (3, 4)


@pytest.mark.parametrize("n, k, s, p, d", [(227, 11, 4, 0, 1), (7, 3, 1, 1, 1), (10, 3, 2, 0, 2), (5, 5, 1, 0, 1), (6, 2, 3, 2, 1)])
def test_output_size_counts_the_window_positions(n, k, s, p, d):
    positions = [i for i in range(0, n + 2 * p) if i + d * (k - 1) < n + 2 * p][::s]
    assert convlib.output_size(n, k, s, p, d) == len(positions)
