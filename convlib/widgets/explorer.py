"""The live-widget kit: controls above a picture that a render function redraws.

Each ``explore_*`` function of the lesson modules wraps a :mod:`convlib.viz`
picture function: the controls call it and put the encoded picture into one
``ipywidgets.Image``. No matplotlib figure is drawn per step, and anything
expensive (filtering the whole image) is computed once, so a step costs
milliseconds, not the ~200 ms of a redrawn figure.

What makes a step feel instant (benchmarks/bench_browser.py measures it):

- one change sends the browser one message with one picture, its size and its
  bytes together, even when the change narrows another control's range;
- a photograph is sent as JPEG, a drawing as PNG, both encoded fast (a drawing's
  PNG with one row filter, :func:`drawing_png`), and each label's
  text is rendered once and reused (:func:`convlib.viz.kit.write`);
- a picture already drawn for the same values is sent again without redrawing, and a
  widget with a few dozen pictures at most (``draw_ahead``) draws them all when made;
- once a step has been shown and the kernel is idle, the pictures one step either side
  of the control just moved are drawn, so that the learner's next step is only sent;
- the picture keeps the height of the tallest one its controls can draw (``tallest``),
  so a control that changes the picture's size never moves the page below it, and the
  browser lays out the picture alone instead of the whole notebook;
- while a slider is dragged, the browser's widget manager sends the kernel one
  change at a time and keeps only the newest meanwhile: no queue of stale pictures.
"""

import asyncio
import collections
import io
import itertools
import struct
import zlib

import ipywidgets as widgets
import numpy as np

from ..i18n import _
from ..viz.kit import STYLE


def menu(names, description):
    """A menu of `names` (kernels, signals, tints) shown in the learner's language; its value is the name."""
    names = list(names)
    return widgets.Dropdown(options=[(_(name), name) for name in names], value=names[0], description=description)


def control_values(control):
    """Every value a control can take: a menu's or toggle's options, an integer slider's steps."""
    if hasattr(control, "options"):
        return [option[1] if isinstance(option, tuple) else option for option in control.options]
    return list(range(control.min, control.max + 1, control.step))


def jpeg(image):
    """JPEG bytes of a PIL image: a photograph in a fraction of a PNG's time and size.

    Full colour resolution (no chroma subsampling), so that thin coloured
    outlines and text stay sharp."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, subsampling=0)
    return buffer.getvalue()


def drawing_png(image):
    """PNG bytes of a drawing (a PIL image), about twice as fast as Pillow's PNG and as small.

    Pillow tries all five PNG row filters on every row, which costs more than the
    compression itself; a drawing of flat fills compresses as well with one filter,
    "Up" (each row minus the row above), computed here by NumPy. Lossless: the
    browser decodes exactly the pixels drawn."""
    rgb = np.asarray(image.convert("RGB"))
    height, width, _ = rgb.shape
    rows = np.empty((height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 2  # filter type "Up"
    flat = rgb.reshape(height, 3 * width)
    rows[0, 1:] = flat[0]
    np.subtract(flat[1:], flat[:-1], out=rows[1:, 1:])  # modulo 256, as the filter is defined
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits per channel, RGB
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 1))
            + _chunk(b"IEND", b""))


def _chunk(kind, data):
    """A PNG chunk: length, type, data, CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class Explorer(widgets.VBox):
    """Controls above a picture; `render(**values)` draws it for the controls' values.

    ``controls`` maps each argument of `render` to its widget, so a test or a
    benchmark can move a slider with ``explorer.controls["row"].value = 3``.
    `ranges(**values)`, if given, returns the largest value that some controls
    may take for the others' values ({"window": 3}); a control beyond it is
    moved back before drawing. Controls are stacked vertically when `vertical`
    is true, so that many of them stay usable in a narrow notebook. A `photo`
    (a picture made mostly of photographs) is sent as JPEG, a drawing as PNG.
    `tallest` names the values of some controls that draw the tallest picture
    ({"padding": 3}), if the first picture is not: the picture's frame is that
    tall from the start. A picture that is not as tall as its frame sits at its top.
    With `draw_ahead`, the picture of every combination of values is drawn when the
    widget is made (for a few dozen pictures that each take milliseconds): a press
    then only sends one.
    """

    def __init__(self, render, controls, vertical=False, photo=False, ranges=None, tallest=None,
                 draw_ahead=False):
        self.render, self.controls, self.ranges = render, controls, ranges
        self.encode = jpeg if photo else drawing_png
        # scale-down: a picture shorter than its frame keeps its shape, at the frame's top left
        self.image = widgets.Image(format="jpeg" if photo else "png", layout=widgets.Layout(
            object_fit="scale-down", object_position="left top"))
        self.frame_height = 0
        self._drawn = collections.OrderedDict()  # (values, style) -> (width, height, bytes), newest last
        self.keep = 32  # pictures kept for reuse
        self._next_steps = None  # the drawing of the next steps, scheduled on the kernel's event loop
        self._drawing = False
        box = widgets.VBox if vertical else widgets.HBox
        super().__init__([box(list(controls.values())), self.image])
        for control in controls.values():
            control.observe(self.update, names="value")
        if tallest:
            self._frame(self._picture({**self.values(), **tallest})[1])
        if draw_ahead:
            self._draw_every_picture()
        self.update()

    def __repr__(self):  # what a notebook shows where no widget can run (GitHub, nbviewer)
        return _("<live widget: run the notebook in Jupyter to use its {controls} controls>").format(
            controls=", ".join(self.controls))

    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def update(self, change=None):
        """Show the picture for the current values of the controls.

        Narrowing a control's range moves it, which calls this again: that call
        draws nothing, since the picture drawn next already shows the new value.
        """
        if self._drawing:
            return
        self._drawing = True
        try:
            for name, high in (self.ranges(**self.values()) if self.ranges else {}).items():
                self.controls[name].max = high  # clamps the value
            width, height, data = self._picture(self.values())
        finally:
            self._drawing = False
        self._frame(height)
        with self.image.hold_sync():  # one message: the browser lays the picture out once
            self.image.width = width  # natural size: no blurry rescaling in the browser
            self.image.value = data
        if change is not None:
            self._draw_next_steps_soon(next(n for n, c in self.controls.items() if c is change.owner))

    def _draw_next_steps_soon(self, name, idle=0.1):
        """Draw the pictures one step either side of control `name` once the kernel has had
        no change for `idle` seconds: a slider held down or dragged is never slowed by it.
        Only inside a running kernel (its event loop); elsewhere, nothing is drawn ahead."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        if self._next_steps is not None:
            self._next_steps.cancel()
        self._next_steps = loop.call_later(idle, lambda: [self._picture(v) for v in self._steps_either_side(name)])

    def _steps_either_side(self, name):
        """The values of the controls after one step of control `name` down or up, clamped as `update` clamps."""
        control, values = self.controls[name], self.values()
        if hasattr(control, "options"):
            options = control_values(control)
            index = options.index(control.value)
            steps = [options[i] for i in (index - 1, index + 1) if 0 <= i < len(options)]
        else:
            steps = [v for v in (control.value - control.step, control.value + control.step)
                     if control.min <= v <= control.max]
        for value in steps:
            moved = {**values, name: value}
            for other, high in (self.ranges(**moved) if self.ranges else {}).items():
                moved[other] = min(moved[other], high)
            yield moved

    def _frame(self, height):
        """Make the picture's frame at least `height` pixels tall; it never shrinks."""
        if height > self.frame_height:
            self.frame_height = height
            self.image.layout.min_height = f"{height}px"

    def _draw_every_picture(self):
        """Draw and keep the picture of every combination of the controls' values that
        their ranges allow; the frame is then as tall as the tallest."""
        names = list(self.controls)
        combinations = [dict(zip(names, values))
                        for values in itertools.product(*map(control_values, self.controls.values()))]
        reachable = [values for values in combinations
                     if all(values[n] <= high for n, high in (self.ranges(**values) if self.ranges else {}).items())]
        self.keep = max(self.keep, len(reachable))
        for values in reachable:
            self._frame(self._picture(values)[1])

    def _picture(self, values):
        """(width, height, encoded bytes) of the picture for `values`, drawn unless among the last `keep`."""
        # Floats rounded: the browser's 0.1 + 0.2 is the kernel's 0.3; lecture_mode() changes STYLE.
        key = (tuple((n, round(v, 9) if isinstance(v, float) else v) for n, v in values.items()),
               tuple(STYLE.values()))
        if key not in self._drawn:
            picture = self.render(**values)
            self._drawn[key] = str(picture.image.width), picture.image.height, self.encode(picture.image)
            if len(self._drawn) > self.keep:
                self._drawn.popitem(last=False)
        self._drawn.move_to_end(key)
        return self._drawn[key]


def slider(description, low, high, value=None):
    """An integer slider that updates while it is dragged."""
    return widgets.IntSlider(value=low if value is None else value, min=low, max=high, description=description,
                             continuous_update=True, style={"description_width": "initial"})
