"""Widgets of notebook 08 (convlib.widgets.fft): the theorem and the race."""



import convlib
from convlib import images, kernels, viz, widgets
from convlib.widgets.explorer import drawing_png


FACE = images.portrait(48)


def test_theorem_widget_offers_odd_sizes_and_draws_the_static_picture():
    explorer = widgets.explore_theorem(FACE, largest=15, size=9)
    size = explorer.controls["size"]
    assert (size.min, size.max, size.step, size.value) == (1, 15, 2, 9)
    explorer.controls["padding"].value = widgets.PADDING_CHOICES[1]
    expected = viz.theorem_steps(FACE, kernels.box_blur(9), padded=True)
    assert bytes(explorer.image.value) == explorer.encode(expected.image)


def test_race_widget_moves_over_the_records_sizes():
    explorer = widgets.explore_race(image_size=512, kernel_size=31)
    assert tuple(explorer.controls["image_size"].options) == convlib.RECORDED_RACE["image_sizes"]
    assert tuple(explorer.controls["kernel_size"].options) == convlib.RECORDED_RACE["kernel_sizes"]
    assert bytes(explorer.image.value) == drawing_png(viz.race_map(cursor=(512, 31)).image)
