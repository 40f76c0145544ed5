"""Widgets of notebook 00 (convlib.widgets.welcome): the blur matches its static picture."""


from convlib import images, viz, widgets


PORTRAIT = images.portrait(64)


def test_blur_widget_matches_its_static_picture():
    explorer = widgets.explore_blur(PORTRAIT)
    explorer.controls["sigma"].value = 3.0
    assert bytes(explorer.image.value) == explorer.encode(viz.blur(PORTRAIT, 3.0).image)
