"""Pictures of notebook 08 (convlib.viz.fft): spectra, the theorem and the race map."""


import numpy as np
import pytest

import convlib
from convlib import images, kernels, viz
from pictures import pixels


FACE = images.portrait(48)


def test_errors_name_the_argument_and_what_was_received():
    with pytest.raises(ValueError, match=r"`n` must be an integer >= 1; got 0"):
        convlib.dft_matrix(0)
    with pytest.raises(ValueError, match=r"the DFT matrix would need .* use scipy.fft.fft"):
        convlib.dft_matrix(20000)
    with pytest.raises(ValueError, match=r"`kernel` must not be larger than `x` .* got kernel shape \(5,\) for x shape \(3,\)"):
        convlib.circular_correlate([1, 2, 3], [1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match=r"`kernel` must have 2 dimensions; got 1 dimension"):
        convlib.circular_convolve(np.ones((3, 3)), [1, 2])
    with pytest.raises(ValueError, match=r"`kernel_size` must be an integer >= 1; got 0"):
        convlib.fft_size(10, 0)
    with pytest.raises(TypeError, match=r"`n` must be an integer >= 1; got 2.5"):
        convlib.flop_counts(2.5, 3)
    with pytest.raises(ValueError, match=r"`size` must be an integer >= 3; got 2"):
        convlib.frequency_response(np.ones((3, 3)), 2)
    with pytest.raises(ValueError, match=r"`kernel` must have 2 dimensions"):
        convlib.frequency_response([1, 2, 3])
    with pytest.raises(ValueError, match=r"`kernel_sizes` must be odd .* got \[3, 4\]"):
        convlib.race(kernel_sizes=(3, 4))
    with pytest.raises(ValueError, match=r"`methods` must be one of 'ndimage', .*; got 'fast'"):
        convlib.race(methods=["fast"])
    with pytest.raises(ValueError, match=r"`cursor` must be an \(image size, kernel size\) of the record"):
        viz.race_map(cursor=(100, 3))


@pytest.mark.parametrize("render, first, second", [
    (lambda v: viz.theorem_steps(FACE, kernels.box_blur(7), padded=v), False, True),
    (lambda v: viz.theorem_steps(FACE, kernels.box_blur(v)), 3, 9),
    (lambda v: viz.kernel_spectra({"w": v}), kernels.box_blur(), kernels.sharpen()),
    (lambda v: viz.circulant_diagonal([1, 2, 3], v), 4, 6),
    (lambda v: viz.race_map(cursor=v), (64, 3), (512, 31)),
])
def test_pictures_change_with_their_arguments(render, first, second):
    a, b = pixels(render(first)), pixels(render(second))
    assert a.shape != b.shape or np.any(a != b)


def test_theorem_steps_with_a_given_spectrum_draws_the_same_picture():
    spectrum = np.fft.fft2(FACE, (48, 48))
    assert np.array_equal(pixels(viz.theorem_steps(FACE, kernels.box_blur(5), False)),
                          pixels(viz.theorem_steps(FACE, kernels.box_blur(5), False, image_spectrum=spectrum)))


def test_race_map_of_a_live_record():
    record = convlib.race(image_sizes=(16,), kernel_sizes=(3, 5), repeat=1)
    assert pixels(viz.race_map(record, cursor=(16, 5))).shape[2] == 3


def test_race_map_keeps_its_size_at_every_cursor_and_fits_a_slide():
    """The widget moves the cursor: the picture must not jump; 1240 px is a 1280x720 slide's width for a picture."""
    record = convlib.RECORDED_RACE
    sizes = {viz.race_map(record, (n, k)).image.size for n in record["image_sizes"] for k in record["kernel_sizes"]}
    assert len(sizes) == 1 and next(iter(sizes))[0] <= 1240, sizes
