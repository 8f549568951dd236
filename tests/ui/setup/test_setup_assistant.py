"""The set-up assistant: the real counter window on an empty database opens it; every page
gone through (a file printer's test page decoded, a video of a QR code read by the camera
page), and the counter opens again signed in as the owner. In English and in Chinese, with a
screenshot of each page (/tmp/ui-shots/setup-*.png)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard

from terminal.cli.setup import demo_fill
from terminal.core import settings_file
from terminal.core.config import config_path
from terminal.db import models as m
from terminal.db.database import proxy
from terminal.services import setup
from terminal.ui.app import CounterWindow
from terminal.ui.language import remove_translation
from terminal.ui.setup.assistant import SetupAssistant
from tests.printers.escpos_decode import decode
from tests.scanner import imaging as im
from tests.ui.conftest import WAIT_MS

SHOTS = Path("/tmp/ui-shots")
QR_TEXT = "SETUP-CAMERA-TEST-42"


def shot(wizard: SetupAssistant, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    assert wizard.grab().save(str(SHOTS / f"setup-{name}.png"))


def next_page(qtbot, wizard: SetupAssistant) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def run_assistant(qtbot, tmp_path: Path, db_url: str, lang: str, pick_language: str,
                  demo: bool) -> CounterWindow:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# the counter's own settings\n[backup]\nauto = false\n", encoding="utf-8")
    window = CounterWindow(settings_file.load(path), db_url,
                           demo=lambda ctx: demo_fill(ctx, workers=0))
    window.show()
    qtbot.waitUntil(lambda: isinstance(window.dialog, SetupAssistant)
                    and window.dialog.isVisible(), timeout=WAIT_MS)
    wizard = window.dialog
    assert isinstance(wizard, SetupAssistant)
    wizard.resize(1000, 700)  # within the 1366x768 screen

    store = wizard.store_page
    # typed as an input method commits it (QTest types ASCII keys only)
    store.name.setText("小王便利店")
    store.address.setText("上海市南京东路 100 号")
    qtbot.keyClicks(store.phone, "021-6321 0000")
    store.language.setCurrentIndex(store.language.findData(pick_language))
    shot(wizard, f"{lang}-1-store")
    next_page(qtbot, wizard)

    owner = wizard.owner_page
    assert wizard.currentPage() is owner
    owner.name.setText("王老板")
    qtbot.keyClicks(owner.pin, "2468")
    qtbot.keyClicks(owner.pin_again, "2469")
    next_page(qtbot, wizard)
    assert wizard.currentPage() is owner and owner.error.text()  # the PINs differ
    qtbot.keyClicks(owner.pin_again, "2468")
    shot(wizard, f"{lang}-2-owner")
    next_page(qtbot, wizard)

    printer_page = wizard.printer_page
    printer = printer_page.form
    assert wizard.currentPage() is printer_page
    out = tmp_path / "lp0"
    printer.kind.setCurrentIndex(printer.kind.findData("file"))
    qtbot.keyClicks(printer.target, str(out))
    printer.paper.setCurrentIndex(printer.paper.findData(58))
    assert not printer_page.isComplete()  # a test page first
    qtbot.mouseClick(printer.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: printer.yes_button.isVisible(), timeout=WAIT_MS)
    shot(wizard, f"{lang}-3-printer-asked")
    qtbot.mouseClick(printer.no_button, Qt.MouseButton.LeftButton)
    assert not printer_page.isComplete() and printer.advice.text()  # stays, with advice
    shot(wizard, f"{lang}-3-printer-advice")
    next_page(qtbot, wizard)
    assert wizard.currentPage() is printer_page
    page = decode(out.read_bytes())
    assert "小王便利店" in page.texts and "中文测试：会员积分" in page.texts
    out.unlink()
    qtbot.mouseClick(printer.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: printer.yes_button.isVisible(), timeout=WAIT_MS)
    qtbot.mouseClick(printer.yes_button, Qt.MouseButton.LeftButton)
    assert printer_page.isComplete() and out.exists()
    shot(wizard, f"{lang}-3-printer-ok")
    next_page(qtbot, wizard)

    camera = wizard.camera_page.form
    assert wizard.currentPage() is wizard.camera_page
    qtbot.waitUntil(lambda: camera.source.findData(camera.OTHER) >= 0
                    and not camera.looking.text().endswith("…"), timeout=WAIT_MS)
    video = im.write_video(tmp_path / "qr.avi", [im.place(im.qr(QR_TEXT))] * 60)
    camera.source.setCurrentIndex(camera.source.findData(camera.OTHER))
    qtbot.keyClicks(camera.path, str(video))
    qtbot.mouseClick(camera.try_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QR_TEXT in camera.read.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: camera.preview.view.pixmap() is not None
                    and not camera.preview.view.pixmap().isNull(), timeout=WAIT_MS)
    shot(wizard, f"{lang}-4-camera")
    next_page(qtbot, wizard)

    data = wizard.data_page
    assert wizard.currentPage() is data and data.demo.isEnabled()
    (data.demo if demo else data.empty).setChecked(True)
    shot(wizard, f"{lang}-5-data")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.successor is not None, timeout=60_000)
    counter = window.successor
    assert counter is not None
    qtbot.waitUntil(lambda: counter.ready, timeout=WAIT_MS)
    counter.resize(1366, 768)
    SHOTS.mkdir(parents=True, exist_ok=True)
    counter.grab().save(str(SHOTS / f"setup-{lang}-6-counter.png"))
    assert "王老板" in counter.cashier_label.text()
    settings = settings_file.load(path)
    assert path.read_text(encoding="utf-8").startswith("# the counter's own settings\n")
    assert (settings.store.name, settings.store.language, settings.printer.connection,
            settings.printer.paper_mm, settings.camera.source, settings.backup.auto) == (
        "小王便利店", pick_language, f"file:{out}", 58, str(video), False)
    with proxy.connection_context():
        (row,) = m.Staff.select()
        assert (row.name, row.role, str(row.id)) == ("王老板", "owner", counter.ctx.staff_id)
        answers = [json.loads(e.after)["printed"] for e in m.AuditEntry.select().where(
            m.AuditEntry.action == "printer_checked").order_by(m.AuditEntry.seq)]
        assert answers == [False, True]
        assert m.Member.select().count() == (setup.DEMO_MEMBERS if demo else 0)
    return counter


def test_first_start_in_english_then_chinese_from_the_next_start(qtbot, qapp, tmp_path,
                                                                 db_url) -> None:
    counter = run_assistant(qtbot, tmp_path, db_url, "en", "zh_CN", demo=False)
    try:
        # the language picked shows in the counter that opened after the set-up
        assert counter.windowTitle() == "会员终端 — 小王便利店"
    finally:
        counter.close()
        remove_translation(qapp, counter.translators)


@pytest.mark.usefixtures("zh_cn")
def test_first_start_in_chinese_with_demo_data(qtbot, tmp_path, db_url) -> None:
    counter = run_assistant(qtbot, tmp_path, db_url, "zh", "zh_CN", demo=True)
    try:
        assert counter.windowTitle() == "会员终端 — 小王便利店"
    finally:
        counter.close()
