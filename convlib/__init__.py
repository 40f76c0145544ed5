"""convlib: one convolution, every way to compute it.

The helper package of the course "Convolution, Unfolded". Each module holds the
method that one notebook teaches, so a learner can open the module beside the
notebook:

==================  ======================================================
module              idea (notebook)
==================  ======================================================
sliding_window      multiply elementwise, then sum (01)
dot_product         the same sum as a dot product of flattened arrays (02)
im2col              every window as a column, one matrix multiply (03)
layer               channels, groups, stride, padding: a conv layer (04)
weight_matrix       the layer as a sparse, weight-tied matrix (05)
flipping            convolution = correlation with a flipped kernel (06)
fft                 the convolution theorem (07)
==================  ======================================================

A deep-learning "conv2d" is a cross-correlation: it does not flip the kernel.
In convlib, ``correlate*`` never flips and ``convolve*`` always does.
"""

from . import validation
from .modes import output_shape, pad_for_mode

# Single-channel correlation, every way (METHODS), and correlate/convolve
from .methods import METHODS
from .sliding_window import correlate_loop, correlate_windows
from .dot_product import correlate_dot
from .weight_matrix import conv_matrix, conv_matrix_taps, correlate_matrix
from .fft import correlate_fft, circular_convolve
from .flipping import correlate, convolve, flip

# The layer view: im2col, conv2d and its backward pass
from .im2col import col2im, correlate_im2col, im2col, output_size
from .layer import conv2d, conv2d_backward

# Shared kernels and images
from . import images, kernels  # viz and widgets are imported on demand: they load matplotlib and ipywidgets
