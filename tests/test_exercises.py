"""Self-checks say right, or wrong with a hint, and never reveal the answer."""

import ast
import contextlib
import io
import pathlib
import re
import sys

import numpy as np
import pytest

from convlib import exercises
from convlib.exercises.__main__ import main as exercises_main
from convlib.exercises.values import no_answer
from convlib.exercises import (ExerciseNotSolved, check, check_function, check_that, diagnose,
                               diagnose_function, diagnose_that, digest)

EXPECTED = np.array([[38.0, 56.0], [12.5, -3.25]])
SECRETS = ("38", "56", "12.5", "3.25")


@pytest.fixture(autouse=True)
def interactive(monkeypatch):
    """Tests run as in JupyterLab unless they set NBGRADER_EXECUTION themselves."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


def hint(answer, expected=EXPECTED, **kwargs):
    """The message for a wrong answer, checked to reveal none of the expected values."""
    message = diagnose(answer, expected, **kwargs)
    assert message is not None, "a wrong answer was accepted"
    for value in SECRETS:
        assert value not in message, f"the hint {message!r} reveals {value}"
    return message


# --- Right answers --------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [EXPECTED + 1e-12, EXPECTED.tolist(), EXPECTED.astype(np.float32)])
def test_a_right_answer_passes(answer):
    assert diagnose(answer, EXPECTED) is None
    assert diagnose(answer, digest(EXPECTED)) is None


def test_a_right_answer_prints_one_clear_line(capsys):
    check(EXPECTED, digest(EXPECTED), name="Z")
    assert capsys.readouterr().out == "✔ Z is correct\n"


def test_a_shape_as_a_tuple_list_or_array():
    for answer in [(5, 8), [5, 8], np.array([5, 8]), (np.int64(5), 8.0)]:
        assert diagnose(answer, digest((5, 8))) is None


# --- What the learner gave is not an answer yet -------------------------------------------------

@pytest.mark.parametrize("answer", [None, ..., (..., 3), [None, 2], np.array([1, ...], dtype=object)])
def test_no_answer_yet(answer):
    assert hint(answer) == no_answer() == ("no answer yet: replace the placeholder ... with your answer, "
                                         "run that cell, then run this one again")


@pytest.mark.parametrize("answer, message", [
    ("8", "your answer is text (a string in quotes); write numbers without quotes"),
    (np.str_("8"), "your answer is text (a string in quotes); write numbers without quotes"),
    (["8", 8], "your answer contains text (a string in quotes); write numbers without quotes"),
    (np.array(["5", "8"]), "your answer contains text (a string in quotes); write numbers without quotes"),
    (True, "your answer is a truth value (True or False); a number is needed"),
    (np.True_, "your answer is a truth value (True or False); a number is needed"),
    ([True, 8], "your answer contains a truth value (True or False); numbers are needed"),
    (np.array([True, False]), "your answer contains a truth value (True or False); numbers are needed"),
    ({"a": 1}, "your answer is a dict; a number is needed"),
    (len, "your answer is a function (did you mean to call it?); a number is needed"),
    (1 + 2j, "your answer is a complex number; a number is needed"),
    (np.array([1, {}], dtype=object), "your answer contains a dict; numbers are needed"),
    ([[1, 2], [3]], "your answer has rows of different lengths; every row needs the same number of entries"),
    (float("nan"), "your answer contains NaN (not a number), the result of 0 / 0 for example"),
    (np.full((2, 2), np.nan), "your answer contains NaN (not a number), the result of 0 / 0 for example"),
])
def test_what_is_not_a_number_is_named(answer, message):
    assert hint(answer) == message


@pytest.mark.parametrize("answer, expected", [("8", 8), (b"8", 8), (["8"], [8]), (True, 1), (np.True_, 1),
                                              (False, 0), ([True, False], [1, 0])])
def test_strings_and_truth_values_never_count_as_numbers(answer, expected):
    assert diagnose(answer, expected) is not None
    assert diagnose(answer, digest(expected)) is not None


def test_numbers_inside_zero_dimensional_arrays_are_numbers():
    assert diagnose([np.array(38.0), 56.0, 12.5, np.float32(-3.25)], EXPECTED.ravel()) is None


# --- Shapes, in the learner's terms -------------------------------------------------------------

@pytest.mark.parametrize("answer, message", [
    (np.zeros(4), "your answer has shape (4,); the answer has 2 dimensions"),
    (7.0, "your answer is a single number; the answer is an array with 2 dimensions"),
    (np.zeros((3, 2)), "your answer has shape (3, 2), off by +1, +0 per axis: count the positions again"),
    (np.zeros((1, 4)), "your answer has shape (1, 4), off by -1, +2 per axis: count the positions again"),
    (np.zeros((9, 9)), "your answer has shape (9, 9), not the shape of the answer"),
])
def test_wrong_shapes(answer, message):
    assert hint(answer) == message
    assert hint(answer, digest(EXPECTED)) == message


def test_a_single_number_is_needed():
    assert hint([3], digest(4)) == "your answer has shape (1,); a single number is needed"


def test_swapped_rows_and_columns():
    assert hint(np.zeros((6, 4)), digest(np.zeros((4, 6)))) == (
        "your answer has shape (6, 4): its rows and columns are swapped")


def test_a_shape_message_comes_with_the_exercise_hint():
    assert hint(np.zeros(4), hint="one output per window") == (
        "your answer has shape (4,); the answer has 2 dimensions; one output per window")


# --- Wrong values -------------------------------------------------------------------------------

MISTAKES = {"you flipped the kernel": EXPECTED[::-1, ::-1], "you forgot the bias": EXPECTED - 1}


def test_a_listed_mistake_gets_its_own_hint():
    for text, wrong in MISTAKES.items():
        assert hint(wrong, mistakes=MISTAKES, hint="the exercise's hint") == text
        assert hint(wrong, digest(EXPECTED), mistakes=MISTAKES) == text


def test_a_listed_mistake_may_have_another_shape():
    assert hint(EXPECTED.T[:1], mistakes={"one row only": EXPECTED.T[:1]}) == "one row only"


def test_an_unlisted_wrong_answer_gets_the_exercises_hint_not_a_mistakes():
    """The old loop reused the name `hint`, so the last mistake's hint leaked to every wrong answer."""
    assert hint(EXPECTED * 2, mistakes=MISTAKES, hint="the exercise's hint") == "the exercise's hint"
    assert hint(EXPECTED * 2, digest(EXPECTED), mistakes=MISTAKES, hint="the exercise's hint") == "the exercise's hint"
    assert hint(EXPECTED * 2, mistakes=MISTAKES) not in MISTAKES


def test_without_a_hint_it_says_where_not_what():
    answer = EXPECTED.copy()
    answer[1, 0] = 0
    assert hint(answer, mistakes=MISTAKES) == "1 of 4 entries differ; the first is at index (1, 0)"
    assert hint(answer, digest(EXPECTED)) == "some entries are not right yet"
    assert hint(3, 4.5) == "the value is not right yet"


@pytest.mark.parametrize("expected", [8, digest(8)])
def test_off_by_one_is_detected_without_listing_it(expected):
    assert hint(7, expected, hint="count again") == "you are off by one; count again"
    assert hint(9.0, expected) == "you are off by one"
    assert hint(7.5, expected) == "the value is not right yet"


def test_off_by_one_in_some_entries():
    assert hint((4, 7), digest((5, 8))) == "2 of 2 entries are off by one"
    assert hint((5, 9), (5, 8)) == "1 of 2 entries are off by one"


def test_a_digest_is_compared_after_rounding():
    assert diagnose(0.1 + 0.2, digest(0.3)) is None
    assert diagnose(0.3001, digest(0.3)) is not None
    assert diagnose(0.3001, digest(0.3, decimals=3)) is None


@pytest.mark.parametrize("expected", [EXPECTED, digest(EXPECTED)])
def test_no_message_reveals_the_expected_values(expected):
    wrong_answers = [EXPECTED.T, -EXPECTED, np.zeros((2, 2)), EXPECTED + 1, EXPECTED[0], EXPECTED[:, :1],
                     "38", [[38, 56], [12.5, "x"]], True, None, np.nan, {"a": 38}, EXPECTED * 1.5]
    for answer in wrong_answers:
        hint(answer, expected, mistakes={"known": -EXPECTED}, hint="think again")
        hint(answer, expected)


def test_tolerances_apply_to_values():
    assert diagnose(EXPECTED + 1e-4, EXPECTED) is not None
    assert diagnose(EXPECTED + 1e-4, EXPECTED, atol=1e-3) is None


def test_an_authors_bad_expected_value_is_an_error_not_a_hint():
    with pytest.raises(ValueError, match="expected must be a value or a digest .*; got the string '8'"):
        diagnose(8, "8")
    with pytest.raises(ValueError, match="expected must be a value or a digest"):
        diagnose(8, "(4):6:0123456789abcdef")
    with pytest.raises(TypeError, match=r"expected must be numbers or a digest: expected is a truth value"):
        diagnose(1, True)


# --- Digests ------------------------------------------------------------------------------------

def test_digest_is_pinned():
    """Check cells store digests: changing the algorithm would break every notebook."""
    assert digest(8) == "():6:47945a2af16bcc9f"
    assert digest((5, 8)) == "(2,):6:fb7c19f344db5810"


def test_digest_is_the_same_for_equal_numbers():
    assert digest(8) == digest(8.0) == digest(np.int64(8)) == digest(np.float32(8)) == digest(np.array(8))
    assert digest(-0.0) == digest(0.0) == digest(0) == digest(-1e-9)
    assert digest([[-0.0, 1]]) == digest(np.array([[0.0, 1.0]]))
    assert digest((5, 8)) == digest([5, 8]) == digest(np.array([5, 8], dtype=np.uint8))


def test_digest_tells_shapes_and_values_apart():
    digests = {digest(8), digest([8]), digest([[8]]), digest(np.zeros((2, 3))), digest(np.zeros((3, 2))),
               digest(8.000001), digest(-8)}
    assert len(digests) == 7


def test_digest_shows_the_shape_and_the_decimals_but_not_the_value():
    assert re.fullmatch(r"\(2,3\):4:[0-9a-f]{16}", digest(np.full((2, 3), 12.5), decimals=4))
    assert re.fullmatch(r"\(\):6:[0-9a-f]{16}", digest(12.5))


def test_digest_rounding_has_an_edge():
    """Documented: values on either side of a rounding boundary differ, however close."""
    assert digest(0.1234564999) != digest(0.1234565001)
    assert digest(0.1234561) == digest(0.1234559)


@pytest.mark.parametrize("value", ["8", True, None, [1, "2"]])
def test_digest_refuses_what_is_not_numbers(value):
    with pytest.raises(TypeError, match="digest needs real numbers"):
        digest(value)


def test_the_command_line_prints_digests(capsys):
    exercises_main(["8", "(5, 8)", "-3", "--decimals", "2"])
    assert capsys.readouterr().out.split() == [digest(8, 2), digest((5, 8), 2), digest(-3, 2)]
    with pytest.raises(SystemExit):
        exercises_main(["'8'"])
    assert "cannot digest \"'8'\"" in capsys.readouterr().err


# --- check_function -----------------------------------------------------------------------------

def reference(x, w):
    return np.array([x[i:i + len(w)] @ w for i in range(len(x) - len(w) + 1)])


INPUTS = [(np.arange(6.0), np.array([1.0, -2.0])), (np.array([3.0, 1, 4, 1, 5]), np.array([2.0, 0, 1]))]


def test_a_right_function_passes(capsys):
    check_function(reference, reference, INPUTS, name="f")
    assert capsys.readouterr().out == "✔ f is correct\n"


def test_the_stub_is_no_answer_yet():
    def stub(x, w):
        pass  # YOUR CODE HERE: replace this line with your answer
    assert diagnose_function(stub, reference, INPUTS) == (
        "no answer yet: your function returned None; write its body, ending in `return ...`, "
        "run its cell, then run this one again")
    assert diagnose_function(..., reference, INPUTS) == no_answer()
    assert diagnose_function(3, reference, INPUTS) == "your answer is a int, not a function"


def test_an_exception_in_the_learners_function_is_one_line():
    def broken(x, w):
        return x[10]
    assert diagnose_function(broken, reference, INPUTS) == (
        "your function raised IndexError: index 10 is out of bounds for axis 0 with size 6 "
        "for inputs of shape (6,) and (2,)")


def test_inputs_that_are_not_arrays_are_shown_by_value():
    message = diagnose_function(lambda x, i: x[i + 9], lambda x, i: x[i], [(np.zeros((5, 5)), 2)])
    assert message == ("your function raised IndexError: index 11 is out of bounds for axis 0 with size 5 "
                       "for the inputs (an array of shape (5, 5), 2)")


def test_a_mistake_function_gets_its_hint_and_others_the_exercises_hint():
    def flipped(x, w):
        return reference(x, w[::-1])
    mistakes = {"you flipped the kernel": flipped, "you forgot to sum": lambda x, w: np.zeros(len(x) - len(w) + 1)}
    assert diagnose_function(flipped, reference, INPUTS, mistakes=mistakes, hint="H") == "you flipped the kernel"
    assert diagnose_function(lambda x, w: 2 * reference(x, w), reference, INPUTS, mistakes=mistakes, hint="H") == "H"


def test_a_wrong_output_shape_names_the_inputs():
    assert diagnose_function(lambda x, w: reference(x, w)[:-1], reference, INPUTS) == (
        "your function's output for inputs of shape (6,) and (2,) has shape (4,), off by -1 per axis: "
        "count the positions again")
    assert diagnose_function(lambda x, w: str(reference(x, w)), reference, INPUTS).startswith(
        "your function's output for inputs of shape (6,) and (2,) is text")


def test_the_learners_function_cannot_change_the_inputs():
    def vandal(x, w):
        result = reference(x, w)
        x[:] = 0
        return result
    inputs = [(np.arange(6.0), np.array([1.0, -2.0]))]
    assert diagnose_function(vandal, reference, inputs) is None
    assert np.array_equal(inputs[0][0], np.arange(6.0))


# --- check_that ---------------------------------------------------------------------------------

EDGE = {"the weights must sum to zero": lambda w: np.isclose(w.sum(), 0),
        "the right column must be positive": lambda w: (w[:, -1] > 0).all()}


def test_any_answer_with_the_properties_passes(capsys):
    for kernel in ([[-1, 0, 1]] * 3, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], [[0, -1, 1]] * 3):
        assert diagnose_that(kernel, shape=(3, 3), requirements=EDGE) is None
    check_that(np.array([[-1, 0, 1]] * 3), name="k", shape=(3, 3), requirements=EDGE)
    assert capsys.readouterr().out == "✔ k is correct\n"


def test_the_first_failing_requirement_gives_its_hint():
    assert diagnose_that([[1, 0, 1]] * 3, shape=(3, 3), requirements=EDGE) == "the weights must sum to zero"
    assert diagnose_that([[1, 0, -1]] * 3, shape=(3, 3), requirements=EDGE) == "the right column must be positive"


@pytest.mark.parametrize("answer, message", [
    ([1, 0, -1], "your answer has shape (3,); an array with 2 dimensions, of shape (3, 3), is needed"),
    ([[1, 0, -1]] * 2, "your answer has shape (2, 3); an array with 2 dimensions, of shape (3, 3), is needed"),
    (0, "your answer is a single number; an array with 2 dimensions, of shape (3, 3), is needed"),
    ("[[1, 0, -1]]", "your answer is text (a string in quotes); write numbers without quotes"),
    (..., no_answer()),
])
def test_type_and_shape_are_checked_first(answer, message):
    assert diagnose_that(answer, shape=(3, 3), requirements=EDGE) == message


def test_a_requirement_that_raises_is_one_line():
    assert diagnose_that([1, 0, -1], requirements=EDGE) == (
        "your answer could not be checked: IndexError: too many indices for array: "
        "array is 1-dimensional, but 2 were indexed")


# --- Reporting: print in JupyterLab, raise under nbgrader ----------------------------------------

CALLS = {
    "check": lambda: check(3, digest(4), name="x", hint="H"),
    "check_function": lambda: check_function(lambda x, w: None, reference, INPUTS, name="x"),
    "check_that": lambda: check_that([1, 1], name="x", requirements={"H": lambda w: w.sum() == 0}),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_interactive_use_prints_one_line_and_raises_nothing(call, capsys):
    assert call() is None
    out = capsys.readouterr().out
    assert out.startswith("✘ x: ") and out.count("\n") == 1


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_grading_raises_so_the_cell_scores_zero(call, monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(ExerciseNotSolved, match=r"^x: ") as raised:
        call()
    assert isinstance(raised.value, AssertionError)
    assert capsys.readouterr().out == ""


def test_grading_a_right_answer_passes(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    check(4, digest(4), name="x")
    assert capsys.readouterr().out == "✔ x is correct\n"


def test_exact_lines():
    with pytest.raises(ExerciseNotSolved, match=r"^x: you are off by one; H$"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("NBGRADER_EXECUTION", "autograde")
            CALLS["check"]()


def test_ipython_shows_one_line_instead_of_a_traceback():
    (line,) = ExerciseNotSolved("Z: hint")._render_traceback_()
    assert line == "\x1b[31m✘ Z: hint\x1b[0m"


def test_the_package_imports_only_numpy_and_the_standard_library():
    """It stands alone: the checks never import the convlib they check."""
    for path in pathlib.Path(exercises.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
        names |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                  and not node.level}
        assert names - set(sys.stdlib_module_names) <= {"numpy"}, path.name


# --- "By hand" and "with the FFT": library shortcuts get a hint, not a point ---------------------

def loop_correlate(x, w):
    return np.array([x[i:i + len(w)] @ w for i in range(len(x) - len(w) + 1)])


def test_shortcuts_finds_the_convolutions_of_loaded_libraries_only():
    import scipy.signal  # noqa: F401  (loaded, so its convolutions are shortcuts)
    found = exercises.shortcuts()
    assert {"numpy.convolve", "numpy.correlate", "scipy.signal.correlate2d", "scipy.signal.fftconvolve",
            "convlib.correlate", "convlib.conv2d"} <= set(found)
    assert not {"numpy.fft.rfft", "numpy.dot", "numpy.pad"} & set(found)


@pytest.mark.parametrize("cheat", [
    lambda x, w: np.correlate(x, w),
    lambda x, w, alias=np.correlate: alias(x, w),   # captured under another name
    lambda x, w: __import__("scipy.signal").signal.correlate(x, w, "valid"),
    lambda x, w: [__import__("sys").setprofile(None), loop_correlate(x, w)][1],  # switching the watch off
], ids=["direct", "alias", "imported", "watch off"])
def test_a_shortcut_gets_a_hint_however_it_is_called(cheat):
    import scipy.signal  # noqa: F401
    message = diagnose_function(cheat, reference, INPUTS, hint="H", forbidden=exercises.shortcuts())
    assert message.startswith("your function calls ") and "compute it yourself" in message
    assert diagnose_function(loop_correlate, reference, INPUTS, forbidden=exercises.shortcuts()) is None
    assert diagnose_function(cheat, reference, INPUTS) is None  # without `forbidden`, anything goes
    assert sys.getprofile() is None


def test_a_reference_may_be_digests_one_per_input():
    right = exercises.digests(reference, INPUTS)
    assert diagnose_function(loop_correlate, right, INPUTS) is None
    assert diagnose_function(lambda x, w: -loop_correlate(x, w), right, INPUTS, hint="H") == "H"
    flipped = exercises.digests(lambda x, w: loop_correlate(x, w[::-1]), INPUTS)
    assert diagnose_function(lambda x, w: loop_correlate(x, w[::-1]), right, INPUTS,
                             mistakes={"flipped": flipped}) == "flipped"


# --- Hidden tests: what a learner's cell patches does not change the verdict --------------------

from convlib.exercises import grading  # noqa: E402

RIGHT = digest((5, 8))


def test_hidden_value_tests_pass_and_fail():
    assert grading.value((5, 8), RIGHT, name="shape") is None
    for wrong in [(5, 9), None, ..., "5, 8", (8, 5)]:
        with pytest.raises(ExerciseNotSolved, match="^shape: "):
            grading.value(wrong, RIGHT, name="shape")


def test_the_one_line_attack_fools_the_self_check_but_not_the_hidden_test(monkeypatch, capsys):
    monkeypatch.setattr(exercises._Key, "matches", lambda self, array: True)
    check((1, 1), RIGHT, name="shape")
    assert capsys.readouterr().out == "✔ shape is correct\n"   # the visible check is fooled...
    with pytest.raises(ExerciseNotSolved):
        grading.value((1, 1), RIGHT, name="shape")             # ...the grade is not


def test_patching_numpy_or_the_checks_does_not_change_a_hidden_verdict(monkeypatch):
    import hashlib
    monkeypatch.setattr(np, "round", lambda *a, **k: np.array([5.0, 8.0]))
    monkeypatch.setattr(np, "asarray", lambda *a, **k: np.array([5.0, 8.0]))
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(hashlib, "sha256", lambda *a: hashlib.md5(b""))
    monkeypatch.setattr(exercises, "check", lambda *a, **k: None)   # a cell that redefines check
    monkeypatch.setattr(exercises, "digest", lambda *a, **k: RIGHT)
    with pytest.raises(ExerciseNotSolved):
        grading.value((1, 1), RIGHT, name="shape")
    with pytest.raises(ExerciseNotSolved):
        grading.function(lambda x, w: x[:1], INPUTS, exercises.digests(reference, INPUTS), name="f")


@pytest.mark.parametrize("module, name", [("grading", "value"), ("grading", "_matches"), ("values", "digest"),
                                          ("values", "_round"), ("watch", "Watch")])
def test_what_the_hidden_tests_use_cannot_be_reassigned(module, name):
    target = getattr(exercises, module)
    with pytest.raises(AttributeError, match=rf"convlib.exercises.{module}.{name} is read-only"):
        setattr(target, name, lambda *a, **k: None)
    with pytest.raises(AttributeError, match="is read-only"):
        setattr(exercises, module, target)


def test_hidden_function_tests_catch_shortcuts_and_errors():
    import scipy.signal  # noqa: F401
    right = exercises.digests(reference, INPUTS)
    assert grading.function(loop_correlate, INPUTS, right, name="f", forbidden=exercises.shortcuts()) is None
    with pytest.raises(ExerciseNotSolved, match="^f: the function calls numpy.correlate, which this exercise"):
        grading.function(np.correlate, INPUTS, right, name="f", forbidden=exercises.shortcuts())
    with pytest.raises(ExerciseNotSolved, match="^f: the function raised IndexError"):
        grading.function(lambda x, w: x[99], INPUTS, right, name="f")
    with pytest.raises(ExerciseNotSolved, match="^f: the answer is not a function"):
        grading.function(..., INPUTS, right, name="f")


def test_hidden_property_tests_judge_in_a_fresh_python(monkeypatch):
    test = "assert answer.shape == (2,) and answer.sum() == 0 and np.allclose(answer, [1, -1])"
    assert grading.properties([1, -1], test, name="w") is None
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)   # patched here, not there
    with pytest.raises(ExerciseNotSolved, match="^w: "):
        grading.properties([2, -2], test, name="w")
    with pytest.raises(ExerciseNotSolved, match="^w: no answer yet"):
        grading.properties(..., test, name="w")


@pytest.mark.parametrize("error", [SystemExit(3), KeyboardInterrupt(), SystemExit("bye\nsecond line")])
def test_exit_and_interrupt_in_the_learners_function_are_one_line_too(error):
    def leaves(x, w):
        raise error
    message = diagnose_function(leaves, reference, INPUTS)
    assert re.fullmatch(rf"your function raised {type(error).__name__}(: \w+)? for inputs of shape \(6,\) and \(2,\)",
                        message), message
    right = exercises.digests(reference, INPUTS)
    with pytest.raises(ExerciseNotSolved, match=rf"^f: the function raised {type(error).__name__}$"):
        grading.function(leaves, INPUTS, right, name="f")


def test_a_learners_function_that_never_returns_is_stopped_with_a_message(monkeypatch):
    import signal

    handler, setitimer = signal.getsignal(signal.SIGALRM), signal.setitimer
    # the checks' modules are read-only: the alarm itself is shortened
    monkeypatch.setattr(signal, "setitimer", lambda which, seconds: setitimer(which, min(seconds, 0.2)))

    def forever(x, w):
        while True:
            pass
    assert diagnose_function(forever, reference, INPUTS) == (
        "your function raised TimeoutError: still running after 10 s, so the check stopped it: "
        "does a loop never end? for inputs of shape (6,) and (2,)")
    with pytest.raises(ExerciseNotSolved, match="^f: the function raised TimeoutError$"):
        grading.function(forever, INPUTS, exercises.digests(reference, INPUTS), name="f")
    assert diagnose_function(reference, reference, INPUTS) is None
    assert signal.getsignal(signal.SIGALRM) == handler and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_number_beyond_floats_range_is_refused_in_words():
    assert diagnose(10**400, 1.0) == "your answer holds a number too large for a float (more than about 1.8e308)"
    assert diagnose([1, 10**400], [1.0, 2.0]).endswith("too large for a float (more than about 1.8e308)")


def test_a_torch_tensor_is_an_answer_with_or_without_grad():
    from torch_oracle import torch_or_skip

    torch = torch_or_skip()
    expected = np.array([1.0, 2.5])
    for answer in (torch.tensor([1.0, 2.5]), torch.tensor([1.0, 2.5], requires_grad=True),
                   torch.tensor([1.0, 2.5], requires_grad=True) * 1):
        assert diagnose(answer, expected) is None
    assert diagnose(torch.tensor([1.0, 2.0], requires_grad=True), expected) is not None


@pytest.mark.parametrize(("arguments", "message"), [
    ({"mistakes": [1.0]}, r"`mistakes` must be a dict \{hint: wrong answer\}; got a list"),
    ({"hint": 3}, r"`hint` must be a string; got a int"),
    ({"rtol": "a"}, r"`rtol` must be a number >= 0; got 'a'"),
    ({"atol": -1.0}, r"`atol` must be a number >= 0; got -1.0"),
])
def test_an_instructors_mistake_names_the_argument(arguments, message):
    with pytest.raises(TypeError, match=message):
        diagnose(1.0, 1.0, **arguments)
    with pytest.raises(TypeError, match=message):
        diagnose_function(reference, reference, INPUTS, **arguments)


def test_by_hand_answers_must_be_written_out_in_their_cell():
    """Run as IPython runs a notebook: the check, in its own cell, reads the cell that assigned the answer."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_cell("import numpy as np\nfrom convlib.exercises import check, grading\n"
                   "patch, kern = np.array([[3, -1], [2, 4]]), np.array([[2, 1], [-3, 5]])")
    right = digest(np.array([[6, -1], [-6, 20]]))
    try:
        for cell, verdict in [("products = patch * kern", "✘ products: this exercise asks you to work `products` out"),
                              ("products = np.array([[6, -1], [-6, 20]])", "✔ products is correct"),
                              ("products = np.array([[3 * 2, -1], [2 * -3, 4 * 5]], dtype=float)", "✔ products is correct")]:
            shell.run_cell(cell, store_history=True)  # as a kernel runs a notebook cell
            with contextlib.redirect_stdout(io.StringIO()) as printed:
                shell.run_cell(f"check(products, {right!r}, name='products', by_hand='products')", store_history=True)
            assert printed.getvalue().startswith(verdict), (cell, printed.getvalue())
        shell.run_cell("products = patch * kern", store_history=True)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            result = shell.run_cell(f"grading.value(products, {right!r}, name='products', by_hand='products')")
        assert isinstance(result.error_in_exec, ExerciseNotSolved)
        assert "computed, not worked out by hand" in str(result.error_in_exec)
    finally:
        InteractiveShell.clear_instance()
