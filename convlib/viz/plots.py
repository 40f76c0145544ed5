"""matplotlib figures as Pictures with a text alternative: images side by side (every
notebook), one sequence against its index (06's loss curve, 07's autocorrelation peaks).

Their text is drawn at the drawing kit's size, so that a plot reads on a slide like every
other picture of the course.
"""

import io

import numpy as np
from PIL import Image

from ..validation import as_array, check_memory, check_time
from .kit import STYLE, Picture, fmt, sentences, shape_text
from ..i18n import _, cjk_font, language

__all__ = ["images_picture", "sequence_plot", "show_images"]


def show_images(images, cmap="gray", size=3.0, limits=None):
    """Show several 2-D arrays side by side with their titles (a dict title -> array).

    `limits` = (low, high) gives every panel the same value range, so that
    equal values look equal across panels. The figure is shown as a Picture
    (see :func:`images_picture`), with its text alternative.
    """
    from IPython.display import display

    display(images_picture(images, cmap, size, limits))


def images_picture(images, cmap="gray", size=3.0, limits=None):
    """The matplotlib figure of :func:`show_images` as a Picture, its text alternative
    naming each panel with its size and range of values."""
    import matplotlib.pyplot as plt

    low, high = limits if limits is not None else (None, None)
    images = {_(title): image for title, image in images.items()}   # the notebook's words, in the catalog too
    for title, image in images.items():  # matplotlib keeps a float copy and a normalised one of each
        check_memory((3,) + np.shape(image), np.float64, _("drawing {title!r}").format(
                                                             title=title), _("show a smaller image"))
    fig, axes = plt.subplots(1, len(images), figsize=(size * len(images), size), squeeze=False)
    for ax, (title, image) in zip(axes[0], images.items()):
        ax.imshow(image, cmap=cmap, vmin=low, vmax=high)
        ax.set_title(title, fontsize=STYLE["font"] * 72 / fig.dpi, **_words())   # points for the kit's pixels
        ax.axis("off")
    fig.tight_layout()
    scale = _("on one gray scale") if limits is not None else _("each on its own gray scale")
    described = "; ".join(_("{title}, {shape}, values {low} to {high}").format(
        title=title, shape=shape_text(image), low=fmt(np.min(image)), high=fmt(np.max(image)))
        for title, image in images.items())
    titles_px = min(ax.title.get_fontsize() for ax in axes[0]) * fig.dpi / 72   # the only text: the titles
    return _picture(fig, sentences(_("{len_images} images side by side, {scale}: {described}").format(
                                       len_images=len(images), scale=scale, described=described)), round(titles_px))


def sequence_plot(values, *, title, xlabel, ylabel="", log=False, stem=False):
    """`values` against their index: a line, or stems with `stem=True`; `log` for a log y axis.

    Examples
    --------
    >>> sequence_plot([4.0, 2.0, 1.0], title="halving", xlabel="step", log=True).alt
    'A line plot of 3 values against step, on a log scale: halving. From 4 at step 0 to 1 at step 2; the largest 4 at step 0, the smallest 1 at step 2.'
    """  # noqa: E501 (a doctest: the sentence is one line)
    values = as_array(values, "values", ndim=1)
    check_time(values.size, 1e4 if stem else 1e6, _("plotting {values_size} values").format(
                                                      values_size=values.size), _("plot fewer values"))
    values = values.astype(float)
    title, xlabel, ylabel = (_(text) if text else text for text in (title, xlabel, ylabel))  # the notebook's words
    figure = _figure(values, title, xlabel, ylabel, log, stem)
    return _picture(figure, _alt(values, title, xlabel, log, stem), font_px=STYLE["font"])


def _figure(values, title, xlabel, ylabel, log, stem):
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 2.8))
    points = STYLE["font"] * 72 / figure.dpi          # the kit's pixels, in matplotlib's points
    (axes.stem if stem else axes.plot)(np.arange(len(values)), values)
    if log:
        axes.set_yscale("log")
    axes.set_title(title, fontsize=points, **_words())
    axes.set_xlabel(xlabel, fontsize=points, **_words())
    axes.set_ylabel(ylabel, fontsize=points, **_words())
    axes.tick_params(labelsize=points)
    figure.tight_layout()
    return figure


def _words():
    """matplotlib's font for a plot's words: its own, or IPAexGothic where the learner reads Japanese."""
    if language() != "ja":
        return {}
    from matplotlib.font_manager import FontProperties

    return {"fontproperties": FontProperties(fname=cjk_font().path)}


def _alt(values, title, xlabel, log, stem):
    def fmt(value):  # three significant digits: a loss of 3.4e-09 must not read as 0
        return f"{value:.3g}"

    top, low = int(np.argmax(values)), int(np.argmin(values))
    scale = _(", on a log scale") if log else ""
    kind = (_("A stem plot of {count} values against {xlabel}{scale}: {title}") if stem else
            _("A line plot of {count} values against {xlabel}{scale}: {title}"))
    return sentences(
        kind.format(count=len(values), xlabel=xlabel, scale=scale, title=title),
        _("From {fmt_values_0} at {xlabel} 0 to {fmt_values_1} at {xlabel} {len_values_1}; the largest "
          "{fmt_values_top} at {xlabel} {top}, the smallest {fmt_values_low} at {xlabel} {low}").format(
            fmt_values_0=fmt(values[0]), xlabel=xlabel, fmt_values_1=fmt(values[-1]), len_values_1=len(values) - 1,
            fmt_values_top=fmt(values[top]), top=top, fmt_values_low=fmt(values[low]), low=low))


def _picture(figure, alt, font_px):
    """A finished matplotlib figure as a Picture; the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", dpi=figure.dpi)
    plt.close(figure)
    return Picture(Image.open(buffer).convert("RGB"), alt, font_px=font_px)
