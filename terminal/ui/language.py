"""Load the counter's translation (and Qt's own, for standard buttons) by language code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from .i18n.build import I18N_DIR


def install_translation(app: QCoreApplication, language: str, directory: Path = I18N_DIR
                        ) -> tuple[list[QTranslator], str | None]:
    """Install the translators for ``language`` ("en" needs none): the ones installed, and a
    warning when the counter's own file is missing (the window then stays in English)."""
    if language == "en":
        return [], None
    ours = QTranslator(app)  # parented to the app so it lives as long as the app
    if not ours.load(f"member_terminal_{language}", str(directory)):
        return [], (f"translation {language} not found in {directory}: run "
                    f"python -m terminal.ui.i18n.build")
    installed = [ours]
    qt = QTranslator(app)  # Qt's own strings: standard buttons, context menus
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        installed.append(qt)
    for translator in installed:
        app.installTranslator(translator)
    return installed, None
