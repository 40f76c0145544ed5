"""convlib.flattening (notebook 03): im2col and col2im, against their definition and PyTorch."""


import numpy as np
import pytest

import convlib
from torch_oracle import torch_or_skip


def test_col2im_checks_the_column_shape():
    with pytest.raises(ValueError, match=r"`cols` must have shape \(C\*3\*3, 16\).*got shape \(9, 15\)"):
        convlib.col2im(np.ones((9, 15)), (6, 6), 3)


@pytest.mark.parametrize("stride, padding, dilation", [(1, 0, 1), (2, 1, 2), ((1, 2), (2, 0), (2, 1))])
def test_im2col_and_col2im_match_unfold_and_fold(stride, padding, dilation):
    torch = torch_or_skip()
    F = torch.nn.functional
    x = np.random.default_rng(1).standard_normal((2, 3, 9, 8))
    cols = F.unfold(torch.tensor(x), (2, 3), dilation=dilation, padding=padding, stride=stride)
    np.testing.assert_array_equal(convlib.im2col(x, (2, 3), stride, padding, dilation), cols.numpy())
    folded = F.fold(cols, (9, 8), (2, 3), dilation=dilation, padding=padding, stride=stride)
    np.testing.assert_allclose(convlib.col2im(cols.numpy(), (9, 8), (2, 3), stride, padding, dilation), folded.numpy())


def test_alexnet_numbers():
    cols = convlib.im2col(np.zeros((3, 227, 227), np.float32), 11, stride=4)
    assert cols.shape == (363, 3025)
    assert convlib.conv2d(np.zeros((3, 227, 227), np.float32), np.zeros((96, 3, 11, 11), np.float32), stride=4).shape == (96, 55, 55)


@pytest.mark.parametrize("kernel, stride, padding, dilation", [
    ((2, 3), (1, 2), (1, 0), (2, 1)),
    ((3, 3), 1, 1, 1),
    ((2, 2), (2, 3), (4, 3), 1),   # padding wider than the kernel: some taps see only zeros
    ((3, 2), 3, (2, 5), (2, 3)),
])
def test_columns_hold_the_windows_channel_by_channel(kernel, stride, padding, dilation):
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 6))
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = (np.broadcast_to(v, 2) for v in (kernel, stride, padding, dilation))
    oh, ow = convlib.output_size(5, kh, sh, ph, dh), convlib.output_size(6, kw, sw, pw, dw)
    cols = convlib.im2col(x, kernel, stride, padding, dilation)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    for i, j in np.ndindex(oh, ow):
        window = padded[:, :, i * sh:i * sh + dh * (kh - 1) + 1:dh, j * sw:j * sw + dw * (kw - 1) + 1:dw]
        np.testing.assert_array_equal(cols[:, :, i * ow + j], window.reshape(2, -1))


def test_col2im_counts_how_often_each_pixel_is_read():
    counts = convlib.col2im(convlib.im2col(np.ones((1, 4, 4)), 3), (4, 4), 3)[0]
    expected = np.outer([1, 2, 2, 1], [1, 2, 2, 1])
    np.testing.assert_array_equal(counts, expected)


@pytest.mark.parametrize("stride, padding, dilation", [(1, 0, 1), (2, 1, 1), ((1, 2), (0, 1), (2, 1)), (2, (4, 3), 1)])
def test_col2im_is_the_adjoint_of_im2col(stride, padding, dilation):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 7, 6))
    cols = convlib.im2col(x, (3, 2), stride, padding, dilation)
    y = rng.standard_normal(cols.shape)
    assert np.isclose(np.sum(cols * y), np.sum(x * convlib.col2im(y, (7, 6), (3, 2), stride, padding, dilation)))


def test_im2col_memory_grows_with_the_kernel_area():
    x = np.zeros((1, 32, 32))
    assert convlib.im2col(x, 3).nbytes / x.nbytes == pytest.approx(9 * 30 * 30 / (32 * 32))
