"""Layer geometries that the matrix tests of notebooks 05 and 06 all run through."""

GEOMETRIES = [(1, 0, 1), (2, 0, 1), (1, 1, 1), (2, 1, 2), (3, 2, 1), (1, "same", 2), (1, "valid", 1),
              ((2, 1), (0, 2), (1, 2))]
"""(stride, padding, dilation): ints, pairs and strings, strides above and below the kernel."""
