"""convlib.kernels: the named kernels do what their names say."""

import numpy as np
import pytest
import scipy.signal

import convlib
from convlib import images, kernels


def test_a_tiny_sigma_gives_the_identity_not_nan():
    np.testing.assert_array_equal(kernels.gaussian(3, sigma=1e-300), kernels.identity())


def test_named_kernels_are_not_shared():
    sobel = kernels.KERNELS["sobel x"]
    sobel *= 2
    np.testing.assert_array_equal(kernels.KERNELS["sobel x"], kernels.sobel_x())


def test_blurs_preserve_brightness():
    for kernel in (kernels.box_blur(5), kernels.gaussian(7, 2.0), kernels.KERNELS["gaussian"]):
        assert kernel.sum() == pytest.approx(1.0)


def test_edge_kernels_ignore_flat_regions_and_sharpen_keeps_them():
    flat = np.ones((6, 6))
    for name in ("sobel x", "sobel y", "laplacian"):
        np.testing.assert_allclose(convlib.correlate(flat, kernels.KERNELS[name], "valid"), 0)
    np.testing.assert_allclose(convlib.correlate(flat, kernels.sharpen(), "valid"), 1)


def test_sobel_x_is_positive_where_brightness_increases_to_the_right():
    response = convlib.correlate(images.step_edge(8), kernels.sobel_x(), "valid")
    assert response.max() > 0 and response.min() == 0


def test_impulse_response_draws_the_flipped_kernel_for_correlation():
    k = kernels.asymmetric()
    response = convlib.correlate(images.impulse(5), k, "same")[1:4, 1:4]
    np.testing.assert_array_equal(response, convlib.flip(k))
    assert not np.array_equal(k, convlib.flip(k))


def test_gaussian_is_separable_and_matches_scipy_window():
    k = kernels.gaussian(7, 1.5)
    bell = scipy.signal.windows.gaussian(7, 1.5)
    np.testing.assert_allclose(k, np.outer(bell, bell) / np.outer(bell, bell).sum())


@pytest.mark.parametrize("call, message", [
    (lambda: kernels.gaussian(4), r"`size` must be a positive odd integer .*got 4"),
    (lambda: kernels.gaussian(5, sigma=0), r"`sigma` must be a finite number > 0; got 0"),
    (lambda: kernels.box_blur(0), r"`size` must be an integer >= 1; got 0"),
    (lambda: images.letter(4), r"`size` must be an integer >= 8; got 4"),
    (lambda: images.portrait(1), r"`size` must be an integer >= 2; got 1"),
])
def test_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
