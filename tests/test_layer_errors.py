"""Errors of the layer functions name the argument, what is allowed and what was received."""

import numpy as np
import pytest

import convlib

X, W = np.ones((1, 4, 6, 6)), np.ones((2, 4, 3, 3))


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(x=np.ones((6, 6))), ValueError, r"`x` must have 3 or 4 dimensions; got 2 dimensions"),
    (dict(weight=np.ones((2, 4, 3))), ValueError, r"`weight` must have 4 dimensions; got 3"),
    (dict(weight=np.ones((2, 3, 3, 3))), ValueError, r"`weight` must have shape \(C_out, C_in // groups, kH, kW\).*C_in=4.*got weight shape \(2, 3, 3, 3\)"),
    (dict(weight=np.ones((2, 4, 3, 3)), groups=3), ValueError, r"`groups` must divide both.*got groups=3 with C_in=4 and C_out=2"),
    (dict(groups=0), ValueError, r"`groups` must be an integer >= 1; got 0"),
    (dict(stride=0), ValueError, r"`stride` must be an integer >= 1; got 0"),
    (dict(stride=1.5), TypeError, r"`stride` must be an integer >= 1; got 1.5"),
    (dict(dilation=(1, 0)), ValueError, r"`dilation` must be an integer >= 1; got 0"),
    (dict(padding=-1), ValueError, r"`padding` must be an integer >= 0; got -1"),
    (dict(padding="full"), ValueError, r"`padding` must be an int, a pair of ints, 'valid' or 'same'; got 'full'"),
    (dict(padding="same", stride=2), ValueError, r"`padding='same'` needs stride 1.*got stride=\(2, 2\)"),
    (dict(weight=np.ones((2, 4, 7, 3))), ValueError, r"the kernel does not fit: its dilated height dilation\*\(kernel_size-1\)\+1 is 7 but the padded input has 6"),
    (dict(bias=np.ones(3)), ValueError, r"`bias` must have shape \(2,\), one value per output channel; got shape \(3,\)"),
    (dict(x=np.ones((1, 4, 6, 6)) * 1j), TypeError, r"`x` must be an array of real numbers; got complex values"),
    (dict(x=np.ones((1, 0, 6, 6)), weight=np.ones((2, 0, 3, 3))), ValueError, r"`x` must not be empty"),
])
def test_conv2d_errors(kwargs, error, message):
    args = dict(x=X, weight=W) | kwargs
    with pytest.raises(error, match=message):
        convlib.conv2d(**args)


def test_backward_checks_the_gradient_shape():
    with pytest.raises(ValueError, match=r"`grad_out` must have the shape of conv2d's output \(1, 2, 4, 4\); got shape \(1, 2, 3, 3\)"):
        convlib.conv2d_backward(np.ones((1, 2, 3, 3)), X, W)


def test_output_size_errors():
    with pytest.raises(ValueError, match=r"the kernel does not fit: its dilated size .* is 7 but the padded input has 5"):
        convlib.output_size(5, 4, dilation=2)
    with pytest.raises(TypeError, match=r"`n` must be an integer >= 1; got 5.5"):
        convlib.output_size(5.5, 3)


def test_col2im_checks_the_column_shape():
    with pytest.raises(ValueError, match=r"`cols` must have shape \(C\*3\*3, 16\).*got shape \(9, 15\)"):
        convlib.col2im(np.ones((9, 15)), (6, 6), 3)
