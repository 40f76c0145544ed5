"""convlib.images: the offline pictures, and load_image."""

import numpy as np
import pytest

from convlib import images


def test_load_image_refuses_a_folder(tmp_path):
    with pytest.raises(ValueError, match=r"`path` must name an image file; got '.*', which is a folder"):
        images.load_image(tmp_path)


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
