"""convlib: one convolution, every way to compute it.

The helper package of the course "Convolution, Unfolded". Each lesson module
holds what one notebook teaches, so a learner can open it beside the notebook;
every module imports only the ones above it in this list:

==================  ===========================================================
module              what it holds (notebook)
==================  ===========================================================
validation          input checks and the memory limit, shared by all
i18n                the learner's language: set_language("ja"), convlib's messages, a Japanese font
internal            the helpers modules share (unchecked; not for learners)
machine             the CPU a timing ran on, and its cache
modes               full / same / valid, a layer's stride, padding, dilation (01, 03, 05)
flipping            the kernel flip (07)
sliding_window      multiply elementwise, then sum (01)
dot_product         the same sum as a dot product of flattened arrays (02)
flattening          im2col: every window as a column, one matrix multiply (03)
weight_matrix       a correlation as a sparse, weight-tied matrix (05)
layer_weights       a layer's matrix: stride, padding, dilation, channels (05)
fft                 the convolution theorem, and what each route costs (08)
fft_race            direct against FFT, timed; a recorded run (08)
layer               conv2d: channels, groups, stride, padding (03, 04)
backward            the backward pass, and the transposed convolution (06)
depth               channels: counts, 1x1 convolutions, depthwise-separable layers (04)
methods             METHODS, and the front door: correlate and convolve
fast                a package: conv2d written for speed, timed against the plain one (03)
kernels, images     named kernels and offline pictures
exercises           self-checks for the exercises
viz, widgets        pictures and live controls (they call the algorithms, never the reverse)
==================  ===========================================================

A deep-learning "conv2d" is a cross-correlation: it does not flip the kernel.
In convlib, ``correlate*`` never flips and ``convolve*`` always does.
"""

from . import validation
from .i18n import set_language
from .modes import *  # noqa: F403  (each lesson module lists its public names in __all__)
from .flipping import *  # noqa: F403
from .sliding_window import *  # noqa: F403
from .dot_product import *  # noqa: F403
from .flattening import *  # noqa: F403
from .weight_matrix import *  # noqa: F403
from .layer_weights import *  # noqa: F403
from .fft import *  # noqa: F403
from .fft_race import *  # noqa: F403
from .layer import *  # noqa: F403
from .backward import *  # noqa: F403
from .depth import *  # noqa: F403
from .methods import *  # noqa: F403
from . import depth, exercises, fast, images, kernels, machine  # viz and widgets load on demand: matplotlib, ipywidgets
