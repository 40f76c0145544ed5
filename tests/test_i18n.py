"""convlib.i18n: the language chosen by a call or by the locale, its catalogs, and a font for Japanese."""

import string

import numpy as np
import pytest
from babel.messages.pofile import read_po
from PIL import Image, ImageDraw

from convlib import i18n


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("language, verdict", [("pt_BR", "✔ w está correto"), ("ja", "✔ w は正解です"),
                                               ("fr", "✔ w est correct"), ("en", "✔ w is correct")])
def test_set_language_picks_the_catalog(language, verdict):
    assert i18n.set_language(language) == language and i18n.language() == language
    assert i18n._("✔ {name} is correct").format(name="w") == verdict


def test_a_message_without_translation_stays_english():
    i18n.set_language("ja")
    assert i18n._("a message no catalog has") == "a message no catalog has"


def test_every_catalog_translates_the_same_messages_completely():
    languages = [language for language in i18n.LANGUAGES if language != "en"]
    assert sorted(languages) == ["fr", "ja", "pt_BR"]
    catalogs = {language: _entries(language) for language in languages}
    assert len({frozenset(m.id for m in entries) for entries in catalogs.values()}) == 1, "the same messages"
    for language, entries in catalogs.items():
        assert all(m.string and not m.fuzzy for m in entries), f"{language}: untranslated or fuzzy messages"
        assert all(set(_fields(m.id)) == set(_fields(m.string)) for m in entries), f"{language}: fields differ"


def _fields(text):
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def _entries(language):
    with open(i18n.LOCALES / language / "LC_MESSAGES" / "convlib.po", "rb") as po:
        return [m for m in read_po(po) if m.id]


@pytest.mark.parametrize("variables, expected", [
    ({"LANG": "ja_JP.UTF-8"}, "ja"), ({"LANG": "pt_BR.UTF-8"}, "pt_BR"), ({"LANGUAGE": "fr:en", "LANG": "C"}, "fr"),
    ({"LC_ALL": "fr_CA.UTF-8"}, "fr"), ({"LANG": "de_DE.UTF-8"}, "en"), ({"LANG": "C.UTF-8"}, "en")])
def test_without_a_name_the_locale_decides(monkeypatch, variables, expected):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in variables.items():
        monkeypatch.setenv(variable, value)
    assert i18n.set_language() == expected


def test_a_hyphenated_code_works():
    assert i18n.set_language("pt-BR") == "pt_BR"


def test_bad_languages_are_refused_by_name():
    with pytest.raises(ValueError, match=r"name must be one of 'en', 'fr', 'ja', 'pt_BR'; got 'de'"):
        i18n.set_language("de")
    with pytest.raises(TypeError, match=r"name must be a language code such as 'ja', or None; got int"):
        i18n.set_language(3)


def _drawn(text, font):
    picture = Image.new("L", (40 * len(text), 60), 255)
    ImageDraw.Draw(picture).text((5, 5), text, font=font, fill=0)
    return np.asarray(picture)


def test_the_cjk_font_draws_japanese_not_missing_glyph_boxes():
    font = i18n.cjk_font(32)
    glyphs = [_drawn(character, font) for character in "畳み込み"]
    assert all((glyph < 128).sum() > 20 for glyph in glyphs), "every character leaves ink"
    assert not np.array_equal(glyphs[0], glyphs[1]), "two different characters draw differently"
    assert np.array_equal(glyphs[1], glyphs[3]), "the same character draws the same"
    missing = _drawn("\ue000", font)   # a private-use code point: the font's missing-glyph box, if any
    assert not any(np.array_equal(glyph, missing) for glyph in glyphs), "a glyph is the missing-glyph box"
    assert font.path.endswith("ipaexg.ttf") and font.getname()[0] == "IPAexGothic"
