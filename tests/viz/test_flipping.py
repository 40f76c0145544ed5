"""Pictures of notebook 07 (convlib.viz.flipping): convolution against correlation on the portrait."""


import numpy as np

import convlib
from convlib import images, kernels, viz
from pictures import pixels


PORTRAIT = images.portrait(48)


def test_flip_portrait_difference_is_flat_for_a_symmetric_kernel_only():
    def difference_panel(kernel):
        picture = pixels(viz.flip_portrait(PORTRAIT, kernel))
        width = picture.shape[1]
        return picture[60:80, width - 40:width - 20]     # inside the last panel, the difference
    assert len(np.unique(difference_panel(kernels.box_blur()))) == 1
    assert len(np.unique(difference_panel(kernels.asymmetric()))) > 1


def test_flip_portrait_takes_precomputed_results():
    w = kernels.emboss()
    results = (convlib.correlate(PORTRAIT, w, "same"), convlib.convolve(PORTRAIT, w, "same"))
    assert np.array_equal(pixels(viz.flip_portrait(PORTRAIT, w, results)), pixels(viz.flip_portrait(PORTRAIT, w)))
