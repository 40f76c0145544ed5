"""Pictures of notebook 00 (convlib.viz.welcome): the notation."""

import numpy as np
import pytest

from convlib import viz
from convlib.viz import kit
from pictures import pixels, where_colour


def test_notation_moves_the_window_one_cell_per_output():
    """The orange window over x starts one grid cell further right for each output."""
    lefts = []
    for i in range(2):
        _, cols = where_colour(pixels(viz.notation([1, 2, 3, 4], [5, 6, 7], i)), kit.WINDOW)
        lefts.append(cols.min())
    assert lefts[1] - lefts[0] == kit.STYLE["cell"]


def test_notation_has_one_output_cell_per_window_position():
    """Longer inputs give more outputs, N - K + 1 of them: the picture widens by one cell each."""
    widths = [pixels(viz.notation(np.arange(n), [1, 0, -1], 0)).shape[1] for n in (6, 7)]
    assert widths[1] - widths[0] == kit.STYLE["cell"]


@pytest.mark.parametrize("arguments, error, message", [
    (([1, 2, 3, 4], [5, 6, 7], 2), ValueError, r"`i` must be at most 1 \(the last of the N - K \+ 1 = 2 outputs\); got 2"),
    (([1, 2, 3, 4], [5, 6, 7], -1), ValueError, r"`i` must be .*>= 0|`i` must be .*at least 0"),
    ((np.ones((2, 2)), [5, 6, 7], 0), ValueError, r"`x` must have 1 dimension; got 2 dimensions"),
    (([1, 2, 3, 4], "abc", 0), TypeError, r"`w` must be an array of real numbers"),
])
def test_notation_explains_wrong_arguments(arguments, error, message):
    with pytest.raises(error, match=message):
        viz.notation(*arguments)
