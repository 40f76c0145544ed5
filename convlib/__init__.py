"""convlib: one convolution, every way to compute it.

The helper package of the course "Convolution, Unfolded". Each lesson module
holds what one notebook teaches, so a learner can open it beside the notebook;
every module imports only the ones above it in this list:

==================  ===========================================================
module              what it holds (notebook)
==================  ===========================================================
validation          input checks and the memory limit, shared by all
modes               full / same / valid, a layer's stride, padding, dilation (01, 03, 05)
flipping            the kernel flip (06)
sliding_window      multiply elementwise, then sum (01)
dot_product         the same sum as a dot product of flattened arrays (02)
im2col              every window as a column, one matrix multiply (03)
weight_matrix       the layer as a sparse, weight-tied matrix (05)
fft                 the convolution theorem (07)
layer               conv2d: channels, groups, stride, padding; its backward pass (03-05)
methods             METHODS, and the front door: correlate and convolve
fast                conv2d written for speed, timed against the plain one (03)
kernels, images     named kernels and offline pictures
exercises           self-checks for the exercises
viz, widgets        pictures and live controls (they call the algorithms, never the reverse)
==================  ===========================================================

A deep-learning "conv2d" is a cross-correlation: it does not flip the kernel.
In convlib, ``correlate*`` never flips and ``convolve*`` always does.
"""

from . import validation
from .modes import layer_geometry, output_shape, output_size, pad_for_mode
from .flipping import flip
from .sliding_window import correlate_loop, correlate_windows, windows
from .dot_product import correlate_dot
from .im2col import col2im, correlate_im2col, im2col
from .weight_matrix import convolution_matrix, correlate_matrix, correlation_matrix, weight_index
from .fft import circular_convolve, correlate_fft
from .layer import conv2d, conv2d_backward, conv2d_loop
from .methods import METHODS, convolve, correlate
from . import fast, images, kernels  # viz and widgets are imported on demand: they load matplotlib and ipywidgets
