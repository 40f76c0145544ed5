"""Pictures of notebook 04: the dot product over depth, and a 1x1 convolution recolouring a portrait."""

import numpy as np
from PIL import Image, ImageDraw

from ..depth import GRAY_WEIGHTS, channel_sums, conv1x1
from ..layer import conv2d
from ..modes import layer_geometry
from ..validation import check_memory
from .kit import (OKABE_ITO, STYLE, fmt, gray_panel, grid_panel, paste, pixel_panel, side_by_side, stacked, text_width,
                  write)
from ..i18n import N_, _

__all__ = ["TINTS", "depth_dot", "recolour", "rgb_panel"]

TINTS = {N_("gray"): (1.0, 1.0, 1.0), N_("sepia"): (1.0, 0.89, 0.69), N_("red only"): (1.0, 0.0, 0.0),
         N_("green only"): (0.0, 1.0, 0.0), N_("blue only"): (0.0, 0.0, 1.0)}
"""Output colours for one mixed channel (a 1x1 convolution 1 -> 3). The sepia
tint is the ratio of the row sums of the classic sepia matrix."""

# Red, green and blue channels in the palette's vermillion, bluish green and blue (told apart by everyone).
_CHANNEL_COLOURS = {3: [OKABE_ITO["vermillion"], OKABE_ITO["bluish green"], OKABE_ITO["blue"]]}
_TARGET = 192  # pixels: images are enlarged by whole pixels up to about this size


def _scale(shape):
    return max(1, _TARGET // max(shape)) * STYLE["pixel"]


def rgb_panel(image, title="", box=None, scale=None):
    """A channels-first (3, H, W) colour image in [0, 1] (clipped), enlarged by
    whole pixels, with an optional orange `box` = (row, col, h, w)."""
    check_memory(np.shape(image), np.float64, _("the image as floats"), _("show a smaller image"))
    image = np.asarray(image, dtype=np.float64)
    scale = scale or _scale(image.shape[1:])
    rgb = np.uint8(np.clip(image, 0, 1).transpose(1, 2, 0) * 255 + 0.5)
    return pixel_panel(rgb, title, box, scale, box_width=min(4, max(2, scale // 2)))


def _unit(x):
    """`x` unchanged if it lies in [0, 1], else rescaled to it (for display only)."""
    low, high = x.min(), x.max()
    return x if low >= 0 and high <= 1 else (x - low) / ((high - low) or 1.0)


def _input_panel(x, title, box):
    """The input: in colour for 3 channels, else the mean over its channels in gray."""
    if x.shape[0] == 3:
        return rgb_panel(x, title, box)
    return gray_panel(x.mean(axis=0), _("{title} (mean)").format(title=title), box=box, scale=_scale(x.shape[1:]))


def _tinted(values, colour):
    """Light cell colours: white for 0, a pale `colour` for 1, so that numbers stay readable."""
    strength = 0.6 * np.clip(values, 0, 1)[..., None]
    return 255 - strength * (255 - np.asarray(colour, float))


def _exact(value):
    """Up to three decimals: 0.299, -1, 0.5."""
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _rgb_cells(values):
    """A column of three cells tinted red, green and blue by `values`."""
    return np.stack([_tinted(v, c) for v, c in zip(values, _CHANNEL_COLOURS[3])])[:, None]


def _hstack(*panels):
    """Panels side by side, centred vertically, `gap` apart: one panel."""
    gap = STYLE["gap"] // 2
    canvas = Image.new("RGB", (sum(p.width for p in panels) + gap * (len(panels) - 1),
                               max(p.height for p in panels)), "white")
    left = 0
    for panel in panels:
        paste(canvas, panel, (left, (canvas.height - panel.height) // 2))
        left += panel.width + gap
    return canvas


def _label(text, template=""):
    """Larger text, at least as wide as `template` (so that a widget's picture keeps its width)."""
    size = STYLE["font"] + 4
    image = Image.new("RGB", (max(text_width(text, size), text_width(template, size)) + 6, 2 * size), "white")
    write(ImageDraw.Draw(image), (2, size), text, size=size, anchor="lm")
    return image


def _window(x, weight, position, padding):
    """Each channel's window (zeros for padding) and a mask of the padded cells."""
    g = layer_geometry(x.shape[1:], weight.shape[2:], 1, padding, 1)
    (top, left), (bottom, right), (i, j) = g.pad_before, g.pad_after, position
    kh, kw = weight.shape[2:]
    pads = ((0, 0), (top, bottom), (left, right))
    window = np.pad(x, pads)[:, i:i + kh, j:j + kw]
    mask = np.pad(np.zeros(x.shape, bool), pads, constant_values=True)[0, i:i + kh, j:j + kw]
    return window, mask, (i - top, j - left, kh, kw)


def depth_dot(x, weight, out_channel=0, position=(0, 0), bias=None, padding=0, names=None, result=None):
    """One output of a layer with several input channels, channel by channel.

    For output channel `out_channel` at `position` = (row, col): the window in
    each input channel (tinted by its value; grey cells are padding), the
    matching kernel slice ``weight[out_channel, c]``, each channel's sum, and
    their total plus the bias, the output: one dot product over
    C_in*kH*kW numbers. `x` is (C_in, H, W) with at most 4 channels;
    `names` optionally names the filters; `result` is
    ``conv2d(x, weight, bias, padding=padding)`` if already computed.
    """
    x, weight = np.asarray(x, float), np.asarray(weight, float)
    if not 1 <= x.shape[0] <= 4:
        raise ValueError(_("`x` must have 1 to 4 channels to be drawn channel by channel; got shape {x_shape}").format(
                             x_shape=x.shape))
    result = conv2d(x, weight, bias, padding=padding) if result is None else result
    o, (i, j) = int(out_channel), (int(v) for v in position)
    sums = channel_sums(x, weight, o, (i, j), padding)
    window, mask, box = _window(x, weight, (i, j), padding)
    colours = _CHANNEL_COLOURS.get(x.shape[0], [(120, 120, 120)] * x.shape[0])
    labels = ([_("red"), _("green"), _("blue")] if x.shape[0] == 3 else
              [_("channel {c}").format(c=c) for c in range(x.shape[0])])
    shown = _unit(x)                                     # display colours only; the numbers are x's
    tints = _window(shown, weight, (i, j), padding)[0]
    total = _("sum {value}")
    rows = [_hstack(grid_panel(window[c], _("{labels_c} window").format(labels_c=labels[c]), padded=mask,
                               colors=_tinted(tints[c], colours[c])),
                    _label("*"), grid_panel(weight[o, c], f"w[{o}, {c}]"),
                    _label(total.format(value=fmt(sums[c])), total.format(value="-0.00")))
            for c in range(x.shape[0])]
    b = 0.0 if bias is None else float(np.asarray(bias)[o])
    name = f" ({names[o]})" if names is not None else ""
    left = stacked(_input_panel(shown, _("input"), box),
                   gray_panel(result[o], _("output channel {o}{name}").format(
                                             o=o, name=name), box=(i, j, 1, 1), scale=_scale(x.shape[1:])))
    terms = fmt(sums[0]) + "".join(f" {'-' if s < 0 else '+'} {fmt(abs(s))}" for s in sums[1:])
    terms += f" {'-' if b < 0 else '+'} bias {fmt(abs(b))}" if bias is not None else ""
    equals = _equals(list(sums) + [b], result[o, i, j])
    alt = (_("Output channel {o} of a layer with {x_shape_0} input channels at ({i}, {j}): the input image with the "
             "window outlined and output channel {o}{name} as a gray image; for each channel, its "
             "{weight_shape_2}x{weight_shape_3} window of numbers times the kernel slice, and their sum: "
             "{channel_sums}").format(
               o=o, x_shape_0=x.shape[0], i=i, j=j, name=name, weight_shape_2=weight.shape[2],
               weight_shape_3=weight.shape[3],
               channel_sums=", ".join(f"{labels[c]} {fmt(sums[c])}" for c in range(x.shape[0]))))
    return side_by_side(left, stacked(*rows), alt=alt, caption=(
        _("y[{o}, {i}, {j}] = {terms} {equals} {fmt_result_o_i_j}: one dot product of "
          "{x_shape_0}*{weight_shape_2}*{weight_shape_3} = {window_size} numbers").format(
            o=o, i=i, j=j, terms=terms, equals=equals, fmt_result_o_i_j=fmt(result[o, i, j]), x_shape_0=x.shape[0],
            weight_shape_2=weight.shape[2], weight_shape_3=weight.shape[3], window_size=window.size)))


def _equals(terms, total):
    """'=' where the terms as printed add up to the total as printed, else '≈' (each term is rounded)."""
    shown = sum(float(fmt(t)) for t in terms)
    return "=" if fmt(shown) == fmt(total) else "≈"


def recolour(image, weights=GRAY_WEIGHTS, tint=TINTS["gray"]):
    """A 1x1 convolution 3 -> 1 -> 3 on a colour image: mix the channels with
    `weights` into one channel, then colour it with `tint`.

    The first step is the dot product ``weights . x[:, i, j]`` at every pixel
    (with the default weights: the gray image); the second spreads that one
    channel over red, green and blue. Values outside [0, 1] are clipped.
    """
    check_memory((2,) + np.shape(image), np.float64, _("the image as floats and its recoloured copy"),
                 _("show a smaller image"))
    image = np.asarray(image, float)
    weights, tint = np.asarray(weights, float), np.asarray(tint, float)
    mixed = conv1x1(image, weights[None])                     # (1, H, W): 3 channels -> 1
    coloured = conv1x1(mixed, tint[:, None])                  # (3, H, W): 1 channel -> 3
    scale = max(1, 160 // max(image.shape[1:])) * STYLE["pixel"]
    return side_by_side(
        rgb_panel(image, _("input x"), scale=scale),
        grid_panel(weights[:, None], _("w (3 -> 1)"), colors=_rgb_cells(np.abs(weights))),
        gray_panel(mixed[0], _("w . x at every pixel"), 0, 1, scale=scale),
        grid_panel(tint[:, None], _("tint (1 -> 3)"), colors=_rgb_cells(tint)),
        rgb_panel(coloured, _("output"), scale=scale),
        alt=_("A 1x1 convolution on a {image_shape_1}x{image_shape_2} colour image: the input, the weights "
              "{weight_numbers} that mix its red, green and blue into one gray channel, that channel, the "
              "tint {tint_numbers} and the coloured output").format(
                image_shape_1=image.shape[1], image_shape_2=image.shape[2],
                weight_numbers=', '.join(map(_exact, weights)),
                tint_numbers=', '.join(map(_exact, tint))),
        caption=_("y = {_exact_weights_0} R + {_exact_weights_1} G + {_exact_weights_2} B at every pixel\n(the "
                  "weights sum to {_exact_weights_sum}), then coloured by the tint").format(
                    _exact_weights_0=_exact(weights[0]), _exact_weights_1=_exact(weights[1]),
                    _exact_weights_2=_exact(weights[2]), _exact_weights_sum=_exact(weights.sum())),
    )
