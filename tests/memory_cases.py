"""The memory sweep's table: for every public callable of convlib (found from the modules'
``__all__`` by tests/test_validation.py), a call whose arguments would need more than
convlib's memory limit or time limit, or the reason it takes no argument that grows.

Each case is the source of one expression, evaluated in a subprocess under an address-space
limit; ``B(shape, dtype)`` is an array of ones that costs no memory (a broadcast view), so
every byte the call spends is its own.
"""

LAYER = "B((1, 1, 20000, 20000)), B((1, 1, 3, 3))"   # 3.2 GB as float64 before anything else
SIGNAL = "B((40000, 40000)), B((3, 3))"
IMAGE = "B((20000, 20000))"
RGB = "B((3, 9000, 9000), np.uint8)"

CASES = {
    "convlib.backward.conv2d_backward": f"c.conv2d_backward(B((1, 1, 19998, 19998)), {LAYER})",
    "convlib.backward.conv_transpose2d": "c.conv_transpose2d(B((1, 1, 1000, 1000)), B((1, 300, 3, 3)))",
    "convlib.backward.finite_difference_gradient": "c.finite_difference_gradient(lambda a: 0.0, B((2000, 2000)))",
    "convlib.backward.matrix_backward": "c.matrix_backward(B((1, 198, 198)), B((1, 200, 200)), B((1, 1, 3, 3)))",
    "convlib.depth.channel_sums": "c.channel_sums(B((3, 3, 3)), B((1, 3, 3, 3)), 0, (0, 0), padding=20000)",
    "convlib.depth.conv1x1": "c.conv1x1(B((1, 1000, 1000)), B((300, 1, 1, 1)))",
    "convlib.depth.conv2d_as_1x1_sum": "c.conv2d_as_1x1_sum(B((1, 1000, 1000)), B((300, 1, 1, 1)))",
    "convlib.depth.depthwise_separable": "c.depthwise_separable(B((1, 1000, 1000)), B((1, 1, 1, 1)), B((300, 1, 1, 1)))",
    "convlib.depth.rgb_to_gray": "c.rgb_to_gray(B((3, 20000, 20000), np.uint8))",
    "convlib.depth.separable_kernel": "c.separable_kernel(B((1000, 1, 30, 30)), B((1000, 1000, 1, 1)))",
    "convlib.dot_product.correlate_dot": f"c.correlate_dot({SIGNAL})",
    "convlib.fast.conv2d": f"c.fast.conv2d({LAYER})",
    "convlib.fft.circular_convolve": f"c.circular_convolve({SIGNAL})",
    "convlib.fft.circular_correlate": f"c.circular_correlate({SIGNAL})",
    "convlib.fft.correlate_fft": f"c.correlate_fft({SIGNAL})",
    "convlib.fft.dft_matrix": "c.dft_matrix(12000)",
    "convlib.fft.frequency_response": "c.frequency_response(B((3, 3)), size=12000)",
    "convlib.fft_race.race": "c.race(image_sizes=(16000,), kernel_sizes=(3,), methods=['windows'], repeat=1)",
    "convlib.flattening.col2im": "c.col2im(B((9, 4)), (20000, 20000), 3, stride=30000, padding=10000)",
    "convlib.flattening.correlate_im2col": f"c.correlate_im2col({SIGNAL})",
    "convlib.flattening.im2col": "c.im2col(B((1, 3, 3)), 3, stride=30000, padding=20000)",
    "convlib.flipping.autocorrelation": "c.autocorrelation(np.arange(1_000_000.0))",
    "convlib.flipping.fit_kernel": "c.fit_kernel(B((4000, 4000)), B((3996, 3996)), 5)",
    "convlib.flipping.normalised_correlation": "c.normalised_correlation(B((12000, 12000)), B((3, 3)))",
    "convlib.layer.conv2d": "c.conv2d(B((1, 1000, 1000)), B((300, 1, 1, 1)))",
    "convlib.layer.conv2d_loop": f"c.conv2d_loop({LAYER})",
    "convlib.layer_weights.layer_matrix": "c.layer_matrix((1, 200, 200), B((1, 1, 3, 3)))",
    "convlib.layer_weights.layer_weight_index": "c.layer_weight_index((200, 200), (3, 3))",
    "convlib.methods.convolve": f"c.convolve({SIGNAL})",
    "convlib.methods.correlate": f"c.correlate({SIGNAL})",
    "convlib.modes.pad_for_mode": "c.pad_for_mode(B((3, 3), np.uint8), (40000, 40000), 'full')",
    "convlib.modes.prepare": f"c.prepare({SIGNAL}, 'full')",
    "convlib.sliding_window.correlate_loop": f"c.correlate_loop({SIGNAL})",
    "convlib.sliding_window.correlate_windows": f"c.correlate_windows({SIGNAL})",
    "convlib.weight_matrix.circulant_matrix": "c.circulant_matrix((200, 200), B((3, 3)))",
    "convlib.weight_matrix.convolution_matrix": "c.convolution_matrix((200, 200), B((3, 3)))",
    "convlib.weight_matrix.correlate_matrix": "c.correlate_matrix(B((200, 200)), B((3, 3)))",
    "convlib.weight_matrix.correlation_matrix": "c.correlation_matrix((200, 200), B((3, 3)))",
    "convlib.weight_matrix.weight_index": "c.weight_index((200, 200), (3, 3))",
    "convlib.images.checkerboard": "images.checkerboard(15000)",
    "convlib.images.impulse": "images.impulse(15001)",
    "convlib.images.letter": "images.letter(15000)",
    "convlib.images.portrait": "images.portrait(size=15000)",
    "convlib.images.portrait_rgb": "images.portrait_rgb(size=15000)",
    "convlib.images.step_edge": "images.step_edge(15000)",
    "convlib.kernels.box_blur": "kernels.box_blur(15001)",
    "convlib.kernels.gaussian": "kernels.gaussian(15001)",
    "convlib.kernels.identity": "kernels.identity(15001)",
    "convlib.viz.depth.depth_dot": "viz.depth.depth_dot(B((3, 8000, 8000)), B((1, 3, 3, 3)))",
    "convlib.viz.depth.recolour": f"viz.depth.recolour({RGB})",
    "convlib.viz.depth.rgb_panel": f"viz.depth.rgb_panel({RGB})",
    "convlib.viz.fft.circulant_diagonal": "viz.fft.circulant_diagonal(B((3,)), 12000)",
    "convlib.viz.fft.kernel_spectra": "viz.fft.kernel_spectra({'box': B((3, 3))}, size=8000)",
    "convlib.viz.fft.theorem_steps": f"viz.fft.theorem_steps({IMAGE}, B((3, 3)))",
    "convlib.viz.flipping.flip_portrait": f"viz.flipping.flip_portrait({IMAGE}, B((3, 3)))",
    "convlib.viz.flipping.flip_slide": "viz.flipping.flip_slide(B((400000,)), B((3,)), 0)",
    "convlib.viz.im2col.receptive_field": "viz.im2col.receptive_field(20000, 3)",
    "convlib.viz.im2col.window_colours": "viz.im2col.window_colours(100_000_000)",
    "convlib.viz.im2col.windows_to_columns": "viz.im2col.windows_to_columns(B((400, 400)), B((3, 3)))",
    "convlib.viz.sliding_window.filter_gallery": f"viz.sliding_window.filter_gallery({IMAGE}, {{'box': B((3, 3))}})",
    "convlib.viz.sliding_window.filter_step": f"viz.sliding_window.filter_step({IMAGE}, B((3, 3)), (0, 0))",
    "convlib.viz.sliding_window.padding_mask": "viz.sliding_window.padding_mask((40000, 40000), (3, 3), 'full')",
    "convlib.viz.sliding_window.sliding_grid": "viz.sliding_window.sliding_grid(B((400, 400)), B((3, 3)), (0, 0))",
    "convlib.viz.sliding_window.weight_colors": "viz.sliding_window.weight_colors(B((20000, 20000)))",
    "convlib.viz.vectors.bar_row": "viz.vectors.bar_row(B((400000,)), 'x')",
    "convlib.viz.vectors.dot_product": "viz.vectors.dot_product(B((400, 400)), B((3, 3)), (0, 0))",
    "convlib.viz.vectors.template_match": f"viz.vectors.template_match({IMAGE}, B((3, 3)))",
    "convlib.viz.vectors.template_responses": f"viz.vectors.template_responses({IMAGE}, B((3, 3)))",
    "convlib.viz.weight_matrix.circulant_vs_toeplitz": "viz.weight_matrix.circulant_vs_toeplitz(20000, B((3,)))",
    "convlib.viz.weight_matrix.row_and_column": "viz.weight_matrix.row_and_column(B((400, 400)), B((3, 3)))",
    "convlib.viz.weight_matrix.strided_matrix": "viz.weight_matrix.strided_matrix(20000, B((3,)))",
    "convlib.viz.weight_matrix.tied_weights": "viz.weight_matrix.tied_weights((400, 400), B((3, 3)))",
    "convlib.viz.plots.images_picture": f"viz.plots.images_picture({{'a': {IMAGE}}})",
    "convlib.viz.plots.sequence_plot": "viz.plots.sequence_plot(B((400_000_000,)), title='t', xlabel='x')",
    "convlib.viz.plots.show_images": f"viz.plots.show_images({{'a': {IMAGE}}})",
    "convlib.viz.welcome.blur": f"viz.welcome.blur({IMAGE}, 2.0)",
    "convlib.viz.welcome.blurred": f"viz.welcome.blurred({IMAGE}, 2.0)",
    "convlib.viz.welcome.notation": "viz.welcome.notation(B((400000,)), B((3,)))",
    "convlib.widgets.depth.explore_depth_dot": "widgets.depth.explore_depth_dot(B((3, 8000, 8000)), B((1, 3, 3, 3)))",
    "convlib.widgets.depth.explore_recolour": f"widgets.depth.explore_recolour({RGB})",
    "convlib.widgets.dot_product.explore_dot_product": "widgets.dot_product.explore_dot_product(B((400, 400)), B((3, 3)))",
    "convlib.widgets.fft.explore_theorem": f"widgets.fft.explore_theorem({IMAGE})",
    "convlib.widgets.flipping.explore_flip_portrait": f"widgets.flipping.explore_flip_portrait({IMAGE})",
    "convlib.widgets.flipping.explore_flip_slide": "widgets.flipping.explore_flip_slide(B((400000,)))",
    "convlib.widgets.im2col.explore_receptive_field": "widgets.im2col.explore_receptive_field(20000)",
    "convlib.widgets.im2col.explore_windows_to_columns":
        "widgets.im2col.explore_windows_to_columns(B((400, 400)), B((3, 3)))",
    "convlib.widgets.sliding_window.explore_filter": f"widgets.sliding_window.explore_filter({IMAGE})",
    "convlib.widgets.sliding_window.explore_sliding_grid":
        "widgets.sliding_window.explore_sliding_grid(B((400, 400)), B((3, 3)))",
    "convlib.widgets.weight_matrix.explore_row_and_column":
        "widgets.weight_matrix.explore_row_and_column(B((400, 400)), B((3, 3)))",
    "convlib.widgets.weight_matrix.explore_strided_matrix": "widgets.weight_matrix.explore_strided_matrix(20000)",
    "convlib.widgets.welcome.explore_blur": f"widgets.welcome.explore_blur({IMAGE})",
}

SIZES_ONLY = "takes only sizes or counts and returns numbers, not arrays that grow with them"
NAMED_TUPLE = "a NamedTuple of a few numbers"
FIXED = "takes no argument that sets a size: its result has a fixed size"

EXEMPT = {
    "convlib.backward.transposed_output_size": SIZES_ONLY,
    "convlib.depth.LayerCost": NAMED_TUPLE,
    "convlib.depth.cost_table": "formats a table of the LayerCost rows it is given: its text grows with them only",
    "convlib.depth.layer_cost": SIZES_ONLY,
    "convlib.fft.FlopCounts": NAMED_TUPLE,
    "convlib.fft.LayerFlops": NAMED_TUPLE,
    "convlib.fft.fft_layer_flops": SIZES_ONLY,
    "convlib.fft.fft_size": SIZES_ONLY,
    "convlib.fft.flop_counts": SIZES_ONLY,
    "convlib.fft_race.ChoiceMistake": NAMED_TUPLE,
    "convlib.fft_race.choice_mistakes": "reads a race record: its output is no larger than the record",
    "convlib.fft_race.race_crossover": "reads a race record: its output is no larger than the record",
    "convlib.fft_race.race_winners": "reads a race record: its output is no larger than the record",
    "convlib.flipping.flips": "probes `function` with a fixed 15-sample or 9x11 impulse",
    "convlib.flipping.impulse_response": "probes `function` with a fixed 15-sample or 9x11 impulse",
    "convlib.layer_weights.MatrixCounts": NAMED_TUPLE,
    "convlib.layer_weights.matrix_counts": SIZES_ONLY,
    "convlib.machine.description": FIXED,
    "convlib.machine.l2_cache_bytes": FIXED,
    "convlib.modes.LayerGeometry": NAMED_TUPLE,
    "convlib.modes.LayerSizes": NAMED_TUPLE,
    "convlib.modes.layer_geometry": SIZES_ONLY,
    "convlib.modes.layer_padding": SIZES_ONLY,
    "convlib.modes.layer_sizes": SIZES_ONLY,
    "convlib.modes.output_shape": SIZES_ONLY,
    "convlib.modes.output_size": SIZES_ONLY,
    "convlib.modes.pad_widths": SIZES_ONLY,
    "convlib.sliding_window.windows": "returns a read-only view of its input: it copies nothing",
    "convlib.flipping.flip": "returns a read-only view of its input: it copies nothing",
    "convlib.images.load_image": "its image-size guards are tested in tests/test_images.py (a file is needed)",
    "convlib.kernels.asymmetric": FIXED,
    "convlib.kernels.emboss": FIXED,
    "convlib.kernels.laplacian": FIXED,
    "convlib.kernels.sharpen": FIXED,
    "convlib.kernels.sobel_x": FIXED,
    "convlib.kernels.sobel_y": FIXED,
    "convlib.viz.fft.race_map": "draws a race record: its picture grows with the record's few sizes only",
    "convlib.widgets.fft.explore_race": "draws a race record: its picture grows with the record's few sizes only",
    "convlib.exercises.ExerciseNotSolved": "an exception class",
}
EXERCISES = "compares answers the learner already holds (the homework rewrite of convlib.exercises owns it)"
EXEMPT.update({f"convlib.exercises.{name}": EXERCISES for name in
               ("check", "check_function", "check_that", "diagnose", "diagnose_function", "diagnose_that", "digest",
                "digests")})
EXEMPT.update({
    "convlib.exercises.shortcuts": "lists the functions of the modules it is given: nothing grows with an argument",
    "convlib.i18n.set_language": "a setting: chooses the language of messages",
    "convlib.i18n.language": FIXED,
    "convlib.i18n.cjk_font": "loads one font at a point size; Pillow draws it, nothing is allocated per point",
    "convlib.i18n.N_": "returns its argument: a marker for the catalog, nothing is allocated",
})


def main():
    """Run every case under an address-space limit; print, as JSON, what each raised and the peak memory."""
    import json
    import resource
    import signal
    import sys
    import time

    import numpy as np

    import convlib as c  # noqa: F401 (the cases use it)
    from convlib import images, kernels, viz, widgets  # noqa: F401 (the cases use them)
    import convlib.viz.depth, convlib.viz.fft, convlib.viz.flipping, convlib.viz.im2col  # noqa: E401, F401
    import convlib.viz.sliding_window, convlib.viz.vectors, convlib.viz.weight_matrix, convlib.viz.welcome  # noqa
    import convlib.widgets.depth, convlib.widgets.dot_product, convlib.widgets.fft, convlib.widgets.flipping  # noqa
    import convlib.widgets.im2col, convlib.widgets.sliding_window, convlib.widgets.weight_matrix  # noqa
    import convlib.widgets.welcome  # noqa: F401

    def B(shape, dtype=np.float64):  # noqa: N802 (one letter: the cases stay one line)
        return np.broadcast_to(np.ones((), dtype), shape)

    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    results = {}

    def too_long(*_):
        raise TimeoutError("still running after 5 s")

    signal.signal(signal.SIGALRM, too_long)
    for name, source in CASES.items():
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, 5)
        try:
            eval(source)
            outcome = "returned"
        except Exception as error:  # noqa: BLE001 (the test reads what each case raised)
            outcome = f"{type(error).__name__}: {error}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        print(name, outcome[:200], file=sys.stderr, flush=True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        results[name] = {"outcome": outcome, "seconds": time.perf_counter() - start, "peak": peak}
    print(json.dumps({"results": results, "baseline": before}))


if __name__ == "__main__":
    main()
