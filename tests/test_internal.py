"""convlib.internal: the helpers modules share, against their public, checked twins."""

import numpy as np
import pytest

import convlib
from convlib import internal


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_the_mode_arithmetic_is_that_of_convlib_modes(mode):
    assert internal.mode_pad_widths((4, 3), mode) == convlib.pad_widths((4, 3), mode)
    assert internal.mode_output_shape((7, 5), (4, 3), mode) == convlib.output_shape((7, 5), (4, 3), mode)
    np.testing.assert_array_equal(internal.pad_to_mode(np.ones((7, 5)), (4, 3), mode),
                                  convlib.pad_for_mode(np.ones((7, 5)), (4, 3), mode))


def test_unfold_and_fold_are_im2col_and_col2im_and_adjoint():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 7, 6))
    g = convlib.layer_geometry((7, 6), (3, 2), stride=(2, 1), padding=1, dilation=(1, 2))
    cols = internal.unfold(x, g)
    np.testing.assert_array_equal(cols, convlib.im2col(x, (3, 2), (2, 1), 1, (1, 2)))
    y = rng.standard_normal(cols.shape)
    assert np.sum(cols * y) == pytest.approx(np.sum(x * internal.fold(y, (7, 6), g)))


@pytest.mark.parametrize("transposed, weight, message", [
    (False, np.ones((2, 3, 3, 3)), r"`weight` must have shape \(C_out, C_in // groups, kH, kW\)"),
    (True, np.ones((3, 1, 3, 3)), r"`weight` must have shape \(C_in, C_out // groups, kH, kW\) with C_in = 2"),
])
def test_one_layer_check_for_conv2d_and_its_transpose(transposed, weight, message):
    with pytest.raises(ValueError, match=message):
        internal.check_layer(np.ones((2, 5, 5)), weight, None, 1, transposed=transposed)
    batch, _, bias, groups = internal.check_layer(np.ones((2, 5, 5), int), np.ones((4, 2, 3, 3), int), [1, 2, 3, 4], 1)
    assert batch.shape == (1, 2, 5, 5) and batch.dtype == np.float64 and bias.dtype == np.float64 and groups == 1


def test_flipped_is_a_read_only_view():
    kernel = np.arange(6.0).reshape(2, 3)
    view = internal.flipped(kernel)
    np.testing.assert_array_equal(view, kernel[::-1, ::-1])
    assert np.shares_memory(view, kernel) and not view.flags.writeable and kernel.flags.writeable
