"""Terms for the SQLite index: Russian and English stems, stop words left out."""

from forum.search import stems
from forum.search.index import plain_text


def test_russian_forms_share_a_stem():
    assert stems.terms("дробями") == stems.terms("дроби") == stems.terms("Дробь") == ["дроб"]


def test_english_words_get_english_stems():
    assert stems.terms("Teaching fractions") == ["teach", "fraction"]


def test_stop_words_of_both_languages_are_left_out():
    assert stems.terms("как и the of дроби") == ["дроб"]


def test_punctuation_and_fts_syntax_are_only_separators():
    assert stems.terms('NEAR(дроби*) - "пицца":') == ["near", "дроб", "пицц"]


def test_words_with_digits_are_kept_whole():
    assert stems.terms("5класс 2024") == ["5класс", "2024"]


def test_plain_text_drops_tags_and_decodes_entities():
    assert plain_text("<p>Дроби &amp; <b>проценты</b></p><p>Вторая</p>") == \
        "Дроби & проценты\nВторая"


def test_plain_text_drops_control_characters():
    assert "\x02" not in plain_text("a\x02b\x03c")
