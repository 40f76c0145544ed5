"""convlib.i18n: the language chosen by a call or by the locale, its catalogs, and a font for Japanese;
and the messages of the other modules, which go through it."""

import ast
import gettext
import io
import pathlib
import string

import numpy as np
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from PIL import Image, ImageDraw

import convlib
from convlib import exercises, i18n


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


def test_every_catalog_holds_the_same_messages_and_translations_keep_their_fields():
    """A translation that drops or renames a {field} would make `.format` raise or lose a value."""
    languages = [language for language in i18n.LANGUAGES if language != "en"]
    assert sorted(languages) == ["fr", "ja", "pt_BR"]
    catalogs = {language: _entries(language) for language in languages}
    assert len({frozenset(m.id for m in entries) for entries in catalogs.values()}) == 1, "the same messages"
    for language, entries in catalogs.items():
        for message in entries:
            if message.string:
                assert sorted(_fields(message.id)) == sorted(_fields(message.string)), (language, message.id)


def test_the_field_check_sees_a_renamed_field():
    assert sorted(_fields("{name}: {message:.0f}")) == ["message", "name"]
    assert sorted(_fields("{nom} : {message}")) != sorted(_fields("{name}: {message}"))


def _calls_of_underscore(tree):
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"]


def test_every_message_is_a_literal_so_that_extraction_finds_it():
    """``_(f"...")`` or ``_(text)`` would look up a message no catalog can hold."""
    calls = 0
    for path in pathlib.Path(convlib.__file__).parent.rglob("*.py"):
        for call in _calls_of_underscore(ast.parse(path.read_text(encoding="utf-8"))):
            calls += 1
            literal = len(call.args) == 1 and not call.keywords and isinstance(call.args[0], ast.Constant)
            if not literal:   # texts extracted elsewhere: the notebooks' own, and names marked with N_
                literal = ast.unparse(call.args[0]) in {"exercises": {"text", "hint"}, "widgets": {"name"},
                                                          "viz": {"title", "text"}}.get(
                    path.parent.name, set())
            assert literal and isinstance(getattr(call.args[0], "value", ""), str), \
                f"{path.name}:{call.lineno}: {ast.unparse(call)}"
    assert calls > 50


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
           ast.GeneratorExp)


def _own_nodes(scope):
    """The nodes of one scope, not those of the functions and comprehensions inside it."""
    for child in ast.iter_child_nodes(scope):
        yield child
        if not isinstance(child, _SCOPES):
            yield from _own_nodes(child)


def _translating_scopes_that_bind_underscore(tree):
    found = []
    for scope in [tree] + [node for node in ast.walk(tree) if isinstance(node, _SCOPES)]:
        nodes = list(_own_nodes(scope))
        if any(_calls_of_underscore(node) for node in nodes) and \
                any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store) for n in nodes):
            found.append(getattr(scope, "name", type(scope).__name__))
    return found


def test_no_function_that_translates_uses_underscore_as_a_throwaway_name():
    """``a, _ = pair`` in a function that calls ``_("...")`` makes ``_`` a tuple entry there."""
    for path in pathlib.Path(convlib.__file__).parent.rglob("*.py"):
        assert _translating_scopes_that_bind_underscore(ast.parse(path.read_text(encoding="utf-8"))) == [], path.name
    assert _translating_scopes_that_bind_underscore(ast.parse('def f(p):\n    a, _ = p\n    return _("x")')) == ["f"]
    assert _translating_scopes_that_bind_underscore(ast.parse('def f(p):\n    return [_("x") for _ in p]')) == [
        "ListComp"], "a comprehension is its own scope"


def test_the_literal_check_sees_an_f_string():
    calls = _calls_of_underscore(ast.parse('_(f"{name} is wrong")'))
    assert not isinstance(calls[0].args[0], ast.Constant)


def _speak(monkeypatch, translations, language="fr"):
    """Speak a hand-written catalog {English: translation} for the rest of the test."""
    catalog = Catalog(locale=language)
    for english, translated in translations.items():
        catalog.add(english, translated)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    monkeypatch.setitem(i18n._chosen, "translations", gettext.GNUTranslations(compiled))
    monkeypatch.setitem(i18n._chosen, "language", language)


FRENCH = {"✘ {name}: {message}": "✘ {name} : {message}", "✔ {name} is correct": "✔ {name} est correct",
          "you are off by one": "vous êtes décalé d'une unité",
          "slide the window over every position": "faites glisser la fenêtre sur chaque position",
          "the kernel is flipped": "le noyau est retourné", "it must sum to 0": "sa somme doit être nulle",
          "{subject} has shape {got}; the answer has {dimensions}":
              "{subject} a la forme {got} ; la réponse a {dimensions}",
          "your answer": "votre réponse", "{n} dimensions": "{n} dimensions", "; ": " ; ",
          "`{name}` must be an integer >= {minimum}; got {value}":
              "`{name}` doit être un entier >= {minimum} ; reçu {value}"}


def test_a_wrong_answer_gets_its_verdict_and_hint_in_french(monkeypatch, capsys):
    _speak(monkeypatch, FRENCH)
    exercises.check(5, exercises.digest(4), name="total")
    exercises.check(np.zeros(3), [[1, 2], [3, 4]], name="Z", hint="slide the window over every position")
    exercises.check(np.array([3.0, 2.0]), [2, 3], name="w", mistakes={"the kernel is flipped": [3, 2]})
    exercises.check_that([1, 1], name="w", requirements={"it must sum to 0": lambda w: w.sum() == 0})
    exercises.check(4, exercises.digest(4), name="total")
    assert capsys.readouterr().out.splitlines() == [
        "✘ total : vous êtes décalé d'une unité",
        "✘ Z : votre réponse a la forme (3,) ; la réponse a 2 dimensions ; "
        "faites glisser la fenêtre sur chaque position",
        "✘ w : le noyau est retourné", "✘ w : sa somme doit être nulle", "✔ total est correct"]


def test_a_hint_with_no_translation_stays_english(monkeypatch):
    _speak(monkeypatch, FRENCH)
    assert exercises.diagnose(7, exercises.digest(4), hint="count again") == "count again"
    assert exercises.diagnose(7, exercises.digest(4), hint="") == "the value is not right yet", \
        "an empty hint is not the catalog's header"


def test_an_error_message_comes_in_french_with_the_argument_name_untranslated(monkeypatch):
    _speak(monkeypatch, FRENCH)
    with pytest.raises(ValueError, match=r"^`stride` doit être un entier >= 1 ; reçu 0$"):
        convlib.output_size(8, 3, stride=0)


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


# --- Words in pictures ---------------------------------------------------------------------------

def _drawn_texts(monkeypatch):
    from convlib.viz import kit

    texts, write = [], kit.write
    monkeypatch.setattr(kit, "write", lambda draw, xy, text, *a, **k: texts.append(text) or write(draw, xy, text, *a, **k))
    return texts


def test_a_pictures_labels_come_in_french(monkeypatch):
    from convlib import viz

    _speak(monkeypatch, {"input": "entrée", "kernel": "noyau", "output": "sortie"})
    texts = _drawn_texts(monkeypatch)
    picture = viz.sliding_grid(np.arange(16.0).reshape(4, 4), np.eye(2), (1, 1))
    assert {"entrée", "noyau", "sortie"} <= set(texts) and not {"input", "kernel", "output"} & set(texts)
    assert "window * kernel" in texts, "a label without a translation stays English"
    assert isinstance(picture, viz.Picture)


def _long_japanese(english):
    """A Japanese 'translation' longer than the English, keeping every {field} as it is."""
    fields = "".join("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
                     for _text, name, spec, conversion in string.Formatter().parse(english) if name is not None)
    return "畳み込みの説明、とても長い日本語の文" + fields + "。"


def _speak_long_japanese(monkeypatch):
    with (i18n.LOCALES / "convlib.pot").open("rb") as pot:
        _speak(monkeypatch, {m.id: _long_japanese(m.id) for m in read_po(pot) if m.id}, language="ja")


def test_under_japanese_the_kit_draws_with_the_cjk_font_real_glyphs(monkeypatch):
    from PIL import ImageFont

    from convlib.viz import kit

    _speak_long_japanese(monkeypatch)
    assert kit._font(16, "畳み込み").getname()[0] == "IPAexGothic"
    assert kit._font(16, "-0.39") == kit._font(16, "") != kit._font(16, "畳"), "numbers keep the English font"
    panel = np.asarray(kit.grid_panel(np.eye(2), "畳み込み").convert("L"))[:kit.STYLE["font"] + 4]
    picture = Image.new("L", (panel.shape[1], panel.shape[0]), 255)
    ImageDraw.Draw(picture).text((0, 0), "畳み込み", font=ImageFont.load_default(size=kit.STYLE["font"]), fill=0)
    assert (panel < 128).sum() > 100, "the title leaves ink"
    assert not np.array_equal(panel, np.asarray(picture)), "not what Pillow's own font (no kanji) draws"
    i18n.set_language("en")
    assert kit._font(16, "畳み込み").getname()[0] != "IPAexGothic", "English draws as before"


def test_every_picture_fits_its_long_japanese_words(monkeypatch, recwarn):
    """The picture sweep of tests/viz/test_kit.py under Japanese, each message longer than its English:
    every picture draws, keeps its smallest text at the kit's size, and is as wide as its widest title."""
    from tests.viz.test_kit import CALLS

    from convlib.viz import kit

    _speak_long_japanese(monkeypatch)
    outside, write = [], kit.write

    def measured_write(draw, xy, text, size=None, fill=kit.INK, anchor="la"):
        left, top, right, bottom = draw.textbbox(xy, text, font=kit._font(size or kit.STYLE["font"], text),
                                                 anchor=anchor)
        width, height = draw._image.size   # 1 px of slack: English glyphs overhang their advance by 1 px
        if left < -1 or top < 0 or right > width + 1 or bottom > height:
            outside.append(text)
        write(draw, xy, text, size, fill, anchor)

    monkeypatch.setattr(kit, "write", measured_write)
    for name, calls in sorted(CALLS.items()):
        for call in calls:
            picture = call()
            assert "畳み込み" in picture.alt, f"{name}: alt {picture.alt!r}"
            assert picture.font_px >= kit.STYLE["small"], name
            assert outside == [], f"{name}: text drawn beyond its panel: {outside}"
    assert not [w for w in recwarn if "missing from" in str(w.message)], "matplotlib drew every glyph"


def test_the_fit_check_sees_a_title_wider_than_its_panel():
    from convlib.viz import kit

    draw = ImageDraw.Draw(Image.new("RGB", (40, 30)))
    assert draw.textbbox((0, 0), _long_japanese(""), font=kit._font(16, _long_japanese("")))[2] > 40


def test_a_widgets_labels_come_in_french_and_its_values_stay(monkeypatch):
    from convlib import widgets

    _speak(monkeypatch, {"output position": "position de sortie", "yes: convolve": "oui : convoluer",
                         "<live widget: run the notebook in Jupyter to use its {controls} controls>":
                             "<widget : exécutez le notebook dans Jupyter pour ses contrôles {controls}>"})
    explorer = widgets.explore_flip_slide()
    assert explorer.controls["position"].description == "position de sortie"
    assert explorer.controls["flip"]._options_values == widgets.FLIP_CHOICES
    assert "oui : convoluer" in explorer.controls["flip"]._options_labels
    explorer.controls["flip"].value = widgets.FLIP_CHOICES[1]
    assert repr(explorer).startswith("<widget : exécutez le notebook")
