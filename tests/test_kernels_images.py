"""Named kernels and shipped images: definitions, ranges, errors."""

import numpy as np
import pytest
import scipy.signal

import convlib
from convlib import images, kernels


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


@pytest.mark.parametrize("name", sorted(images.IMAGES))
def test_images_are_deterministic_grayscale_in_unit_range(name):
    image = images.IMAGES[name]()
    assert image.ndim == 2 and image.dtype == np.float64
    assert 0 <= image.min() and image.max() <= 1 and image.max() > image.min()
    np.testing.assert_array_equal(image, images.IMAGES[name]())


def test_portrait_sizes():
    assert images.portrait().shape == (600, 512)
    assert images.portrait(100).shape == (100, 100)


def test_load_image_reads_a_file_and_explains_failures(tmp_path):
    from PIL import Image

    path = tmp_path / "mine.png"
    Image.fromarray(np.uint8([[0, 255], [128, 64]])).save(path)
    np.testing.assert_allclose(images.load_image(path), [[0, 1], [128 / 255, 64 / 255]])
    assert images.load_image(path, size=8).shape == (8, 8)
    with pytest.raises(ValueError, match=r"`path` must name an existing image file; got '.*nothere.png'"):
        images.load_image(tmp_path / "nothere.png")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match=r"`path` must be an image Pillow can read"):
        images.load_image(tmp_path / "notes.txt")
