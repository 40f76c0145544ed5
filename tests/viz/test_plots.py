"""convlib.viz.plots: one sequence against its index, with a text alternative from its data."""

import numpy as np
import pytest

from convlib import viz
from convlib.viz.kit import STYLE


def test_the_alternative_names_the_ends_and_the_extremes():
    values = np.array([3.0, 0.5, 7.0, 1e-9])
    picture = viz.sequence_plot(values, title="a made-up loss", xlabel="step", log=True)
    assert picture.alt.startswith("A line plot of 4 values against step, on a log scale: a made-up loss.")
    assert "From 3 at step 0 to 1e-09 at step 3; the largest 7 at step 2, the smallest 1e-09 at step 3." in picture.alt


def test_stems_and_lines_are_different_pictures_with_the_kits_text_size():
    values = np.cos(np.arange(12))
    line = viz.sequence_plot(values, title="t", xlabel="lag")
    stems = viz.sequence_plot(values, title="t", xlabel="lag", stem=True)
    assert stems.alt.startswith("A stem plot") and line.alt.startswith("A line plot")
    assert not np.array_equal(line.pixels(), stems.pixels())
    assert line.font_px == stems.font_px == STYLE["font"]


def test_a_table_is_refused_with_its_shape():
    with pytest.raises(ValueError, match=r"`values` must have 1 dimension; got 2 dimensions \(shape \(2, 2\)\)"):
        viz.sequence_plot(np.ones((2, 2)), title="t", xlabel="step")
