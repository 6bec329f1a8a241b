"""Line diffs for the edit history."""

from forum.topics.diffs import DiffLine, line_diff


def test_unchanged_text_has_only_same_lines():
    assert line_diff("a\nb", "a\nb") == [DiffLine("same", "a"), DiffLine("same", "b")]


def test_a_changed_line_shows_as_removed_then_added():
    assert line_diff("Дроби\nплохо", "Дроби\nхорошо") == [
        DiffLine("same", "Дроби"), DiffLine("removed", "плохо"), DiffLine("added", "хорошо")]


def test_appended_lines_are_added():
    assert line_diff("a", "a\nb") == [DiffLine("same", "a"), DiffLine("added", "b")]
