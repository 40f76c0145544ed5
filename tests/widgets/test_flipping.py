"""Widgets of notebook 07 (convlib.widgets.flipping): they draw the static pictures."""


import numpy as np

from convlib import images, kernels, viz, widgets
from convlib.widgets.explorer import drawing_png
from pictures import pixels


PORTRAIT = images.portrait(48)


def test_flip_slide_renders_every_position_and_the_flip_changes_it():
    signal = widgets.SIGNALS["impulse"]
    last = len(signal) + 3 - 2
    drawn = [pixels(viz.flip_slide(signal, [1, 2, 3], p, f)) for p in (0, last) for f in (False, True)]
    assert len({d.shape for d in drawn}) == 1
    assert all(np.any(a != b) for i, a in enumerate(drawn) for b in drawn[i + 1:])


def test_slide_widget_shows_the_static_picture_and_follows_the_signal_length():
    signals = {"long": np.arange(12.0), "short": np.array([0.0, 1.0, 0.0])}
    explorer = widgets.explore_flip_slide([1.0, 2.0], signals)
    explorer.controls["position"].value = 12                    # the last output of the long signal
    explorer.controls["flip"].value = widgets.FLIP_CHOICES[1]
    expected = viz.flip_slide(signals["long"], [1.0, 2.0], 12, flip_kernel=True)
    assert bytes(explorer.image.value) == drawing_png(expected.image)
    explorer.controls["signal"].value = "short"
    assert explorer.controls["position"].max == 3 and explorer.controls["position"].value == 3
    explorer.controls["signal"].value = "long"
    assert explorer.controls["position"].max == 12


def test_portrait_widget_shows_the_static_picture_of_the_stretched_kernel():
    explorer = widgets.explore_flip_portrait(PORTRAIT)
    explorer.controls["stretch"].value = 3
    expected = viz.flip_portrait(PORTRAIT, np.kron(kernels.asymmetric(), np.ones((3, 3))))
    assert bytes(explorer.image.value) == explorer.encode(expected.image)
