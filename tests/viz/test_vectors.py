"""Pictures of notebook 02 (convlib.viz.vectors): template matching and the dot product of two
flattened arrays."""


import numpy as np
import pytest
import scipy.signal

from convlib import images, viz
from convlib.viz.vectors import RAW
from convlib.viz.kit import OUTPUT
from torch_oracle import torch_or_skip
from pictures import has_colour, pixels


GRID = 10 * np.arange(4)[:, None] + np.arange(4)       # values encode (row, column)


KERNEL = np.array([[1.0, 2.0], [3.0, 4.0]])


def test_template_responses_are_scipy_correlations_and_their_cosine():
    rng = np.random.default_rng(0)
    image, template = rng.random((12, 15)), rng.random((3, 4))
    raw, norms, cosine = viz.template_responses(image, template)
    np.testing.assert_allclose(raw, scipy.signal.correlate2d(image, template, "valid"))
    for i, j in [(0, 0), (4, 7), (9, 11)]:
        window = image[i:i + 3, j:j + 4]
        assert norms[i, j] == pytest.approx(np.linalg.norm(window))
        expected = window.ravel() @ template.ravel() / (np.linalg.norm(window) * np.linalg.norm(template))
        assert cosine[i, j] == pytest.approx(expected)
    assert np.all(cosine <= 1 + 1e-12)                 # Cauchy-Schwarz


def test_the_template_cut_from_the_image_is_the_normalised_peak_but_not_the_raw_one():
    image = images.portrait(128)
    template = image[40:52, 36:56]
    raw, norms, cosine = viz.template_responses(image, template)
    assert np.unravel_index(cosine.argmax(), cosine.shape) == (40, 36) and cosine.max() == pytest.approx(1)
    raw_peak = np.unravel_index(raw.argmax(), raw.shape)
    assert raw_peak != (40, 36) and norms[raw_peak] > np.linalg.norm(template)


def test_a_window_of_zeros_has_cosine_zero_not_nan():
    image = np.zeros((6, 6))
    image[3:, 3:] = 1.0
    _, norms, cosine = viz.template_responses(image, np.ones((2, 2)))
    assert norms[0, 0] == 0 and cosine[0, 0] == 0 and np.isfinite(cosine).all()


def test_template_responses_match_torch():
    torch = torch_or_skip()
    rng = np.random.default_rng(1)
    image, template = rng.random((10, 9)), rng.random((3, 2))
    raw, norms, _ = viz.template_responses(image, template)
    as_torch = lambda a: torch.tensor(a[None, None])  # noqa: E731
    np.testing.assert_allclose(torch.nn.functional.conv2d(as_torch(image), as_torch(template))[0, 0], raw)
    squares = torch.nn.functional.conv2d(as_torch(image ** 2), as_torch(np.ones_like(template)))[0, 0]
    np.testing.assert_allclose(np.sqrt(squares.numpy()), norms)


def test_template_match_marks_both_peaks():
    image = images.portrait(64)
    picture = viz.template_match(image, image[20:26, 18:28])
    assert has_colour(picture, RAW) and has_colour(picture, OUTPUT)
    other = viz.template_match(image, image[40:46, 30:40])
    assert pixels(picture).shape == pixels(other).shape and np.any(pixels(picture) != pixels(other))


def test_template_larger_than_the_image_is_refused():
    with pytest.raises(ValueError, match=r"in 'valid' mode `kernel` must fit inside `x`"):
        viz.template_responses(np.zeros((4, 4)), np.ones((5, 2)))


def test_dot_product_picture_uses_the_course_notation():
    picture = viz.dot_product(GRID, KERNEL, (1, 2))
    assert np.any(pixels(picture) != pixels(viz.dot_product(GRID, KERNEL, (2, 1))))
