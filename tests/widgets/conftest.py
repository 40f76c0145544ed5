"""Checks shared by the test files of several lessons."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

PICTURE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff")  # PNG for drawings, JPEG for photographs


def _ends(control):
    """A control's last and first value: a slider's max and min, a menu's last and first option."""
    if hasattr(control, "options"):
        values = [option[1] if isinstance(option, tuple) else option for option in control.options]
        return values[-1], values[0]
    return control.max, control.min


class MessageLog:
    """Stands in for a widget's comm: keeps the messages the widget would send to the browser."""

    kernel = "a kernel"  # ipywidgets sends nothing through a comm without one
    comm_id = "a-comm"

    def __init__(self):
        self.messages = []

    def send(self, data=None, buffers=None, **kwargs):
        self.messages.append(data)

    def on_msg(self, callback):
        pass

    def close(self, *args, **kwargs):
        pass


@pytest.fixture
def every_control_redraws():
    """A check that moving each control of a live widget to both ends sends the browser
    exactly one new picture per change (its size and its bytes in one message), and
    that no matplotlib figure is made on the way (a step must stay cheap)."""

    def check(explorer, name):
        figures = plt.get_fignums()
        explorer.image.comm = log = MessageLog()
        for control in explorer.controls.values():
            drawn = []
            for value in _ends(control):
                log.messages.clear()
                moved, control.value = control.value != value, value
                drawn.append(bytes(explorer.image.value))
                assert drawn[-1].startswith(PICTURE_SIGNATURES)
                sent = [sorted(m["state"]) + [path[0] for path in m["buffer_paths"]] for m in log.messages]
                assert len(sent) == moved and (not moved or "value" in sent[0]), \
                    f"{name}'s control {control.description!r} = {value!r} sent {len(sent)} updates: {sent}"
            assert drawn[0] != drawn[1], f"moving {name}'s control {control.description!r} changed nothing"
        assert plt.get_fignums() == figures

    return check
