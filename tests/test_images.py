"""convlib.images: the offline pictures, and load_image reading pictures as a learner brings them.

Each file is written here with Pillow from an array whose expected brightness is known
independently (8-bit: v/255; 16-bit: v/65535; transparent: white), then read back."""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

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
    path = tmp_path / "mine.png"
    Image.fromarray(np.uint8([[0, 255], [128, 64]])).save(path)
    np.testing.assert_allclose(images.load_image(path), [[0, 1], [128 / 255, 64 / 255]])
    assert images.load_image(path, size=8).shape == (8, 8)
    with pytest.raises(ValueError, match=r"`path` must name an existing image file; got '.*nothere.png'"):
        images.load_image(tmp_path / "nothere.png")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match=r"`path` must be an image Pillow can read"):
        images.load_image(tmp_path / "notes.txt")

GREY = np.uint8([[0, 64, 255], [128, 32, 200]])


def saved(tmp_path, image, name, **options):
    path = tmp_path / name
    image.save(path, **options)
    return path


@pytest.mark.parametrize("mode", ["L", "RGB", "P"])
def test_grey_values_survive_every_8_bit_mode(tmp_path, mode):
    path = saved(tmp_path, Image.fromarray(GREY).convert(mode), f"grey_{mode}.png")
    np.testing.assert_allclose(images.load_image(path), GREY / 255)


def test_16_bit_png_keeps_its_range(tmp_path):
    pixels = np.uint16([[0, 1000, 65535], [30000, 40000, 50000]])
    path = saved(tmp_path, Image.fromarray(pixels), "deep.png")
    np.testing.assert_allclose(images.load_image(path), pixels / 65535)


def test_colour_becomes_luma(tmp_path):
    rgb = np.uint8([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]])
    path = saved(tmp_path, Image.fromarray(rgb), "colour.png")
    np.testing.assert_allclose(images.load_image(path), [[0.299, 0.587, 0.114]], atol=1 / 255)


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_transparent_pixels_show_on_white(tmp_path, mode):
    rgba = np.zeros((1, 2, 4), np.uint8)          # two black pixels...
    rgba[0, 1, 3] = 255                            # ...the first fully transparent
    path = saved(tmp_path, Image.fromarray(rgba).convert(mode), f"clear_{mode}.png")
    np.testing.assert_allclose(images.load_image(path), [[1.0, 0.0]])


def test_palette_transparency_shows_on_white(tmp_path):
    pil = Image.fromarray(np.uint8([[0, 1]]), mode="P")
    pil.putpalette([0, 0, 0, 0, 0, 0])
    path = saved(tmp_path, pil, "palette.png", transparency=0)
    np.testing.assert_allclose(images.load_image(path), [[1.0, 0.0]])


def test_cmyk_black_and_white(tmp_path):
    cmyk = np.zeros((1, 2, 4), np.uint8)
    cmyk[0, 1, 3] = 255                            # full black ink on the second pixel
    path = saved(tmp_path, Image.fromarray(cmyk, mode="CMYK"), "print.tif")
    np.testing.assert_allclose(images.load_image(path), [[1.0, 0.0]])


def test_float_tiff_in_unit_range_is_read_as_is(tmp_path):
    values = np.float32([[0.0, 0.25], [0.5, 1.0]])
    path = saved(tmp_path, Image.fromarray(values), "scan.tif")
    np.testing.assert_allclose(images.load_image(path), values)


def test_float_tiff_outside_unit_range_is_refused(tmp_path):
    path = saved(tmp_path, Image.fromarray(np.float32([[0.0, 300.0]])), "hdr.tif")
    with pytest.raises(ValueError, match=r"not brightness in \[0, 1\]: '.*hdr.tif' holds values from 0 to 300"):
        images.load_image(path)


def test_exif_orientation_turns_a_phone_photo_upright(tmp_path):
    pil = Image.fromarray(GREY)
    exif = pil.getexif()
    exif[0x0112] = 6                               # "rotate 90 degrees clockwise to display"
    path = saved(tmp_path, pil, "phone.png", exif=exif)
    np.testing.assert_allclose(images.load_image(path), np.rot90(GREY, k=-1) / 255)


def test_animation_gives_its_first_frame(tmp_path):
    first, second = (Image.fromarray(np.uint8([[0, 255]])), Image.fromarray(np.uint8([[255, 0]])))
    path = saved(tmp_path, first, "blink.gif", save_all=True, append_images=[second])
    np.testing.assert_allclose(images.load_image(path), [[0.0, 1.0]])


def test_truncated_file_names_itself(tmp_path):
    whole = saved(tmp_path, Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64), np.uint8)), "a.png")
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:200])
    with pytest.raises(ValueError, match=r"could not be read: '.*cut.png'"):
        images.load_image(cut)


def png_header(width, height):
    """A PNG that claims width x height pixels and holds almost none: huge to decode, tiny on disk."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_huge_pictures_are_refused_before_decoding(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header(20000, 20000))
    with pytest.raises(ValueError, match=r"too large to read safely: '.*bomb.png'"):
        images.load_image(bomb)
    big = tmp_path / "big.png"
    big.write_bytes(png_header(13000, 13000))
    with pytest.raises(ValueError, match=r"reading '.*big.png' \(13000 x 13000 pixels\) would need 2.7 GB"):
        images.load_image(big)


def test_size_is_checked_before_reading(tmp_path):
    path = saved(tmp_path, Image.fromarray(GREY), "small.png")
    with pytest.raises(ValueError, match=r"a 40000 x 40000 image would need 25.6 GB"):
        images.load_image(path, size=40000)


@pytest.mark.parametrize("make", [images.checkerboard, images.step_edge, images.impulse, images.letter,
                                  images.portrait, images.portrait_rgb])
def test_synthetic_images_refuse_sizes_past_the_memory_limit(make):
    with pytest.raises(ValueError, match=r"a 15000 x 15000 image would need .* more than convlib's memory limit"):
        make(15000)
