"""The learner's language: convlib's own messages through gettext, and a font that draws Japanese.

``set_language("ja")`` (each translated notebook calls it in its setup cell) or, without a call,
the locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as GNU gettext reads them) picks
the catalog ``convlib/locales/<language>/LC_MESSAGES/convlib.po``. The catalogs ship as ``.po``
package data and are compiled in memory when chosen, so installing needs no compile step.

How the other modules use it: mark a message with ``_`` and fill its fields *after* translating,
so that a translator may move them::

    from .i18n import _
    print(_("✔ {name} is correct").format(name=name))

then add the message to the catalogs (``msgid`` in English, ``msgstr`` in the language). A message
with no translation, or a fuzzy one, stays English. Once modules print through ``_``, the stored
English notebooks assume English: build and test them with no other language in the locale.

>>> set_language("fr")
'fr'
>>> _("✔ {name} is correct").format(name="w")
'✔ w est correct'
>>> set_language("en")
'en'
>>> _("✔ {name} is correct").format(name="w")
'✔ w is correct'
"""

import gettext
import io
import os
import pathlib

__all__ = ["LANGUAGES", "set_language", "language", "N_", "cjk_font"]

LOCALES = pathlib.Path(__file__).parent / "locales"
DOMAIN = "convlib"
FONT = "matplotlib_fontja/fonts/ipaexg.ttf"  # IPAexGothic, in the matplotlib-fontja wheel
# English is the source; the others are the languages convlib has a catalog for.
LANGUAGES = ("en",) + tuple(sorted(path.name for path in LOCALES.iterdir() if (path / "LC_MESSAGES").is_dir()))
_chosen = {"language": "en", "translations": gettext.NullTranslations()}  # the one state: what set_language chose


def _normalise(name):
    """'pt-BR', 'pt_BR.UTF-8' and 'ja_JP' as catalog names: 'pt_BR', 'pt_BR', 'ja_JP'."""
    return name.split(".")[0].split("@")[0].replace("-", "_")


def _from_locale():
    """The first language the environment asks for that convlib speaks, else English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for name in filter(None, os.environ.get(variable, "").split(":")):
            name = _normalise(name)
            for candidate in (name, name.split("_")[0]):
                if candidate in LANGUAGES:
                    return candidate
    return "en"


def _catalog(name):
    """The gettext translations of language `name`, compiled in memory from its .po file."""
    if name == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo   # only when a translation is chosen
    from babel.messages.pofile import read_po

    with open(LOCALES / name / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as po:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(po, locale=name))  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def set_language(name=None):
    """Speak language `name` ('pt_BR', 'ja', 'fr' or 'en'; 'pt-BR' also works) from now on;
    with no name, the one the locale asks for (English if convlib has no catalog for it).
    Returns the language chosen."""
    if name is None:
        name = _from_locale()
    elif not isinstance(name, str):
        raise TypeError(f"name must be a language code such as 'ja', or None; got {type(name).__name__}")
    elif _normalise(name) not in LANGUAGES:
        raise ValueError(f"name must be one of {', '.join(map(repr, LANGUAGES))}; got {name!r}")
    name = _normalise(name)
    _chosen.update(language=name, translations=_catalog(name))
    return name


def language():
    """The language convlib speaks now, such as 'en' or 'ja'."""
    return _chosen["language"]


def _(message):
    """`message` in the chosen language (English when its catalog has no translation).
    The empty message stays empty (gettext would give the catalog's header)."""
    return _chosen["translations"].gettext(message) if message else message


def N_(message):
    """`message` unchanged, marked for the catalog: a name that is also a key (a kernel's in
    ``KERNELS``, a menu entry's) stays English in the code and is translated where a learner
    sees it, with ``_(name)``."""
    return message


def cjk_font(size=14):
    """A Pillow font that draws Latin, Japanese kana and kanji: IPAexGothic, shipped by the
    ``matplotlib-fontja`` package (found without importing it: its import restyles matplotlib).
    Its ``.path`` serves matplotlib too (``FontProperties(fname=cjk_font().path)``)."""
    from importlib.metadata import distribution

    from PIL import ImageFont

    return ImageFont.truetype(str(distribution("matplotlib-fontja").locate_file(FONT)), size)


set_language()
