"""Set the window's language at start-up: its own words come from the gettext catalogue
(ui.text, core.i18n); Qt's own translation is installed for its standard buttons."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from ..core import i18n
from . import text


def install_translation(app: QCoreApplication, language: str
                        ) -> tuple[list[QTranslator], str | None]:
    """Speak ``language`` in the window ("en" needs no catalogue): the Qt translators
    installed, and a warning when the catalogue of ``language`` is missing (the window
    then stays in English)."""
    if language != "en" and not i18n.available(language):
        text.set_language("en")
        return [], (f"translation {language} not found in {i18n.LOCALE_DIR}: the window "
                    f"stays in English")
    text.set_language(language)
    if language == "en":
        return [], None
    qt = QTranslator(app)  # Qt's own strings: standard buttons, context menus
    if not qt.load(f"qtbase_{language}",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return [], None
    app.installTranslator(qt)
    return [qt], None


def remove_translation(app: QCoreApplication, installed: list[QTranslator]) -> None:
    """Back to English: the translators ``install_translation`` gave removed."""
    for translator in installed:
        app.removeTranslator(translator)
    text.set_language("en")
