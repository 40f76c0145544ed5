"""Checks shared by the test files of several lessons."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


def _ends(control):
    """A control's last and first value: a slider's max and min, a menu's last and first option."""
    if hasattr(control, "options"):
        values = [option[1] if isinstance(option, tuple) else option for option in control.options]
        return values[-1], values[0]
    return control.max, control.min


@pytest.fixture
def every_control_redraws():
    """A check that moving each control of a live widget to both ends draws a new PNG,
    and that no matplotlib figure is made on the way (a step must stay cheap)."""

    def check(explorer, name):
        figures = plt.get_fignums()
        for control in explorer.controls.values():
            drawn = []
            for value in _ends(control):
                control.value = value
                drawn.append(bytes(explorer.image.value))
                assert drawn[-1].startswith(b"\x89PNG")
            assert drawn[0] != drawn[1], f"moving {name}'s control {control.description!r} changed nothing"
        assert plt.get_fignums() == figures

    return check
