"""The This terminal tab: the file's unusable values beside their fields; a file printer's
test page decoded and "yes" answered; a video of a QR code read in the preview; a bad
terminal id refused beside its field, a new one confirmed; everything saved into the file
with its comments kept. In English and Chinese, with screenshots
(/tmp/ui-shots/manager-devices-*.png)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from terminal.core import settings_file
from terminal.core.config import config_path
from terminal.db import models as m
from terminal.db.database import proxy
from terminal.ui.manager import ManagerWindow
from terminal.ui.manager.devices_tab import DevicesTab
from tests.printers.escpos_decode import decode
from tests.scanner import imaging as im
from tests.ui.conftest import translated
from tests.ui.manager.conftest import WAIT_MS, idle

SHOTS = Path("/tmp/ui-shots")
QR_TEXT = "DEVICES-TAB-CAMERA-7"
FILE = """# this counter's own settings: keep this comment
[store]
name = "小王便利店"  # on every receipt

[printer]
connection = "network:192.168.1.50:9100"
paper_mm = 66  # a typo: 58 was meant

[camera]
backend = "opencv"

[backup]
auto = false
"""


def shot(window: ManagerWindow, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    assert window.grab().save(str(SHOTS / f"manager-devices-{name}.png"))


def open_tab(qtbot, shop, runner) -> tuple[ManagerWindow, DevicesTab]:
    window = ManagerWindow(shop.ctx, runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    tab = window.findChild(DevicesTab)
    assert tab is not None
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.view is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not tab.camera.looking.text().endswith("…"), timeout=WAIT_MS)
    idle(qtbot, runner)
    return window, tab


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_printer_camera_and_ids_are_tried_and_saved(qtbot, qapp, shop, runner, tmp_path,
                                                        language) -> None:
    zh = language == "zh_CN"
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FILE, encoding="utf-8")
    with translated(qapp, language):
        window, tab = open_tab(qtbot, shop, runner)
        assert str(path) in tab.path_label.text()
        # the file's bad values, each beside its field, with what the counter uses instead
        paper_note, backend_note = tab.printer.notes["paper_mm"], tab.camera.notes["camera_backend"]
        assert paper_note.isVisible() and "66" in paper_note.text()
        assert backend_note.isVisible() and "opencv" in backend_note.text()
        assert ("不可用" if zh else "not usable") in paper_note.text()
        assert not tab.printer.notes["encoding"].isVisible()
        assert tab.printer.paper.currentData() == 80  # the fallback, until it is corrected
        shot(window, f"{language}-file-problems")

        out = tmp_path / "lp0"
        printer = tab.printer
        printer.kind.setCurrentIndex(printer.kind.findData("file"))
        printer.target.setText(str(out))
        printer.paper.setCurrentIndex(printer.paper.findData(58))
        printer.columns.setValue(30)
        printer.cash_drawer.setChecked(False)
        qtbot.mouseClick(printer.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: printer.yes_button.isVisible(), timeout=WAIT_MS)
        page = decode(out.read_bytes())
        assert "小王便利店" in page.texts and "中文测试：会员积分" in page.texts
        shot(window, f"{language}-printer-asked")
        qtbot.mouseClick(printer.yes_button, Qt.MouseButton.LeftButton)
        assert printer.confirmed == printer.printer()

        camera = tab.camera
        video = im.write_video(tmp_path / "qr.avi", [im.place(im.qr(QR_TEXT))] * 60)
        camera.source.setCurrentIndex(camera.source.findData(camera.OTHER))
        camera.path.setText(str(video))
        camera.backend.setCurrentIndex(camera.backend.findData("pyzbar"))
        qtbot.mouseClick(camera.try_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: QR_TEXT in camera.read.text(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: camera.preview.view.pixmap() is not None
                        and not camera.preview.view.pixmap().isNull(), timeout=WAIT_MS)
        shot(window, f"{language}-camera")

        # the customer display on the second screen; the member's page's addresses
        tab.display_enabled.setChecked(True)
        tab.display_screen.setText("2")
        tab.display_full.setChecked(False)
        tab.local_url.setText("192.168.1.20:8080")  # no http://: refused beside the field
        tab.public_url.setText("https://members.example.com")
        tab.terminal_id.setText("T 02")  # a space: the reader would refuse it
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        url_note = tab.web.notes["local_url"]
        assert url_note.isVisible() and "http://192.168.1.20:8080" in url_note.text()
        assert not tab.web.notes["public_url"].isVisible()
        id_note = tab.ids.notes["terminal_id"]
        assert id_note.isVisible() and ("字母" if zh else "letters, digits or dashes") \
            in id_note.text()
        assert path.read_text(encoding="utf-8") == FILE  # nothing written
        shot(window, f"{language}-bad-terminal-id")

        tab.terminal_id.setText("T02")
        tab.local_url.setText("http://192.168.1.20:8080")
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.confirm_box is not None and tab.confirm_box.isVisible(),
                        timeout=WAIT_MS)
        assert "T02-000001" in tab.confirm_box.text()
        assert tab.confirm_box.grab().save(str(SHOTS / f"manager-devices-{language}-"
                                               "new-terminal-id.png"))
        assert tab.confirm_yes is not None
        tab.confirm_yes.click()
        restart = "重启" if zh else "Restart the counter to use the new printer"
        qtbot.waitUntil(lambda: restart in tab.message.text(), timeout=WAIT_MS)
        idle(qtbot, runner)
        assert not id_note.isVisible() and not paper_note.isVisible()  # read again: all fine
        shot(window, f"{language}-saved")
        window.close()

    text = path.read_text(encoding="utf-8")
    assert text.startswith("# this counter's own settings: keep this comment\n")
    assert 'name = "小王便利店"  # on every receipt' in text
    saved = settings_file.load(path)
    assert saved.warnings == ()
    assert (saved.printer.connection, saved.printer.paper_mm, saved.printer.columns,
            saved.printer.cash_drawer, saved.camera.source, saved.camera.backend,
            saved.store.terminal_id, saved.backup.auto) == (
        f"file:{out}", 58, 30, False, str(video), "pyzbar", "T02", False)
    assert (saved.display.enabled, saved.display.screen, saved.display.full_screen,
            saved.web.local_url, saved.web.public_url) == (
        True, "2", False, "http://192.168.1.20:8080", "https://members.example.com")
    with proxy.connection_context():
        answers = [json.loads(e.after) for e in m.AuditEntry.select().where(
            m.AuditEntry.action == "printer_checked")]
        assert [(a["connection"], a["printed"]) for a in answers] == [(f"file:{out}", True)]
        (entry,) = m.AuditEntry.select().where(m.AuditEntry.action == "devices_set")
        assert entry.staff_id == shop.manager_id
