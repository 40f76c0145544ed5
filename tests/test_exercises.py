"""Self-checks say right or wrong with a hint, and never reveal the answer."""

import numpy as np
import pytest

from convlib.exercises import ExerciseNotSolved, check

EXPECTED = np.array([[38.0, 56.0], [12.5, -3.25]])


def hint(answer, **kwargs):
    with pytest.raises(ExerciseNotSolved) as raised:
        check(answer, EXPECTED, name="Z", **kwargs)
    message = str(raised.value)
    for value in ("38", "56", "12.5", "3.25"):
        assert value not in message, "a hint must not reveal the expected values"
    return message


def test_a_right_answer_passes_with_a_clear_line(capsys):
    check(EXPECTED + 1e-12, EXPECTED, name="Z")
    assert capsys.readouterr().out.strip() == "✔ Z is correct"


@pytest.mark.parametrize("answer", [None, ...])
def test_not_done_yet(answer):
    assert "no answer yet" in hint(answer)


def test_wrong_type():
    assert "should be a number or an array of numbers; got dict" in hint({"a": 1})


def test_off_by_one_shape_mentions_counting_windows():
    message = hint(np.zeros((3, 2)))
    assert "off by +1, +0 per axis" in message and "N - K + 1" in message


def test_wrong_number_of_dimensions():
    assert "it has 1 dimension(s) (shape (4,)); the answer has 2" in hint(np.zeros(4))


def test_known_mistakes_get_their_own_hint():
    flipped = EXPECTED[::-1, ::-1]
    assert hint(flipped, mistakes={"you flipped the kernel: a CNN correlates": flipped}) == "Z: you flipped the kernel: a CNN correlates"


def test_plain_wrong_says_where_not_what():
    answer = EXPECTED.copy()
    answer[1, 0] = 0
    assert "1 of 4 entries differ; the first is at index (1, 0)" in hint(answer)


def test_scalars_and_nan():
    with pytest.raises(ExerciseNotSolved, match="the value is not right yet"):
        check(3, 4)
    assert "contains NaN" in hint(np.full((2, 2), np.nan))


def test_ipython_shows_one_line_instead_of_a_traceback():
    error = ExerciseNotSolved("Z: hint")
    (line,) = error._render_traceback_()
    assert "Z: hint" in line
    assert isinstance(error, AssertionError)  # nbgrader counts it as a failed test


def test_a_general_hint_replaces_the_count_of_differences():
    assert hint(np.zeros((2, 2)), hint="weights must sum to zero") == "Z: weights must sum to zero"
