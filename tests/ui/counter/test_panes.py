"""The camera pane fed by the real scanner thread, and the print pane fed by the real print
worker."""

from __future__ import annotations

import dataclasses
import os
import re
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from printers.print_jobs import print_job
from terminal.core import logs
from terminal.core.config import CameraSettings, Settings
from terminal.db import models as m
from terminal.db.database import close_database, open_database
from terminal.db.migrations import new_installation_id, new_secret
from terminal.loyalty import codes
from terminal.services import printing
from terminal.services.context import Context
from terminal.ui.counter.camera_pane import CameraPane, ScannerBridge
from terminal.ui.counter.print_pane import PrintBridge, PrintPane
from terminal.ui.counter.window import PRINT_PANE_HEIGHT
from terminal.ui.fonts import pick_font
from terminal.ui.language import install_translation, remove_translation
from terminal.ui.qt.tasks import TaskRunner
from tests.helpers import factory
from tests.printers.fake_printer import FakePrinter
from tests.scanner import imaging as im
from tests.ui.conftest import translated

WAIT = 15_000


def test_camera_pane_shows_frames_and_reports_codes(qtbot, tmp_path: Path) -> None:
    secret, inst = new_secret(), new_installation_id()
    code = codes.member_code(secret, inst, codes.new_card_number())
    video = im.write_video(tmp_path / "counter.avi",
                           [im.blank()] * 2 + [im.place(im.qr(code))] * 4 + [im.blank()] * 2)
    bridge = ScannerBridge(CameraSettings(source=str(video)),
                           verify=lambda t: codes.verify_member_code(t, secret, inst))
    pane = CameraPane(bridge)
    qtbot.add_widget(pane)
    pane.show()
    with qtbot.waitSignal(bridge.scanned, timeout=WAIT) as got:
        pane.on_toggle_clicked()  # camera on
    event = got.args[0]
    assert event.text == code and event.kind == "member" and event.valid
    qtbot.waitUntil(lambda: pane.view.pixmap() is not None and not pane.view.pixmap().isNull(),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: "Video finished" in pane.state.text(), timeout=WAIT)
    assert not bridge.running and pane.toggle.text() == "Camera on"
    pane.on_toggle_clicked()  # on again: the video plays from the start
    assert bridge.running and pane.toggle.text() == "Camera off"
    pane.on_toggle_clicked()
    assert not bridge.running and pane.view.text() == "Camera off"


def test_camera_pane_says_when_the_camera_cannot_open(qtbot) -> None:
    bridge = ScannerBridge(CameraSettings(source="/nonexistent/folder"))
    pane = CameraPane(bridge)
    qtbot.add_widget(pane)
    pane.on_toggle_clicked()
    qtbot.waitUntil(lambda: "cannot be opened" in pane.state.text(), timeout=WAIT)
    assert pane.state.text().endswith("(/nonexistent/folder)")
    pane.shutdown()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_camera_pane_says_no_camera_was_found(qtbot, qapp, language) -> None:
    # /dev/video99 exists on no machine: a camera never plugged in, not one that was lost
    bridge = ScannerBridge(CameraSettings(source="/dev/video99"))
    with translated(qapp, language):
        pane = CameraPane(bridge)
        qtbot.add_widget(pane)
        pane.on_toggle_clicked()
        said = "未找到摄像头" if language == "zh_CN" else "No camera found"
        qtbot.waitUntil(lambda: said in pane.state.text(), timeout=WAIT)
        assert pane.state.text().endswith("(/dev/video99)")
        assert ("lost" in pane.state.text()) is False and ("retrying" in pane.state.text()) is False
        pane.shutdown()


@pytest.fixture
def counter(db_url: str, tmp_path: Path):
    open_database(db_url)
    base = Settings()
    settings = dataclasses.replace(base, printer=dataclasses.replace(
        base.printer, connection=f"file:{tmp_path / 'paper.bin'}"))
    ctx = Context(settings, staff_id="pane", print_receipts=True)
    m.Product.create(sku="TEA", name="绿茶", price=1800)
    yield ctx
    close_database()


def test_print_pane_shows_failures_and_prints_on_retry(qtbot, counter, tmp_path):
    runner = TaskRunner("db-test")  # its thread gets its own connection to the same database
    broken = dataclasses.replace(counter.settings, printer=dataclasses.replace(
        counter.settings.printer, connection="network:127.0.0.1:1"))
    bridge = PrintBridge(broken, counter, poll=0.05)
    pane = PrintPane(counter, runner, bridge)
    qtbot.add_widget(pane)
    factory.sale(counter, [("TEA", 1)])
    with qtbot.waitSignal(bridge.changed, timeout=WAIT):
        bridge.start()
    qtbot.waitUntil(lambda: pane.jobs.count() == 1, timeout=WAIT)
    assert "waiting" in pane.summary.text() and "T01-000001" in pane.jobs.item(0).text()
    bridge.stop()

    good = PrintBridge(counter.settings, counter, poll=0.05)
    pane.bridge = good
    good.changed.connect(pane.on_bridge_changed)
    good.start()
    pane.on_retry_clicked()
    # a file printer cannot answer: "sent", never "all printed"
    qtbot.waitUntil(lambda: pane.summary.text() == (
        "Printer: T01-000001 sent, the printer gives no confirmation"), timeout=WAIT)
    assert "绿茶".encode("gb18030") in (tmp_path / "paper.bin").read_bytes()
    pane.on_reprint_clicked()  # the file printer holds the last job: now the copy
    qtbot.waitUntil(lambda: b"*** COPY ***" in (tmp_path / "paper.bin").read_bytes(),
                    timeout=WAIT)
    good.stop()
    assert [j.status for j in printing.outstanding(counter)] == []
    runner.shutdown(close_database)


def test_a_wrong_receipt_number_stays_said_while_the_printer_works(qtbot, counter):
    """The print worker finishing a job does not wipe what the cashier was told."""
    runner = TaskRunner("db-test")
    bridge = PrintBridge(counter.settings, counter, poll=0.05)
    pane = PrintPane(counter, runner, bridge)
    qtbot.add_widget(pane)
    factory.sale(counter, [("TEA", 1)])
    pane.receipt_no.setText("T01-999999")
    pane.on_reprint_clicked()
    qtbot.waitUntil(lambda: "no receipt T01-999999" in pane.message.text(), timeout=WAIT)
    with qtbot.waitSignal(bridge.changed, timeout=WAIT):
        bridge.start()  # prints the sale's receipt
    qtbot.waitUntil(lambda: "sent" in pane.summary.text(), timeout=WAIT)
    assert "no receipt T01-999999" in pane.message.text()
    assert pane.receipt_no.text() == "T01-999999"  # still there to correct
    bridge.stop()
    runner.shutdown(close_database)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_queues_trouble_is_said_whole_in_a_narrow_pane(qtbot, qapp, counter, language):
    # the walk-through saw "Could not reach the print queue:" with its reason cut off
    runner = TaskRunner("db-test")
    try:
        with translated(qapp, language):
            bridge = PrintBridge(counter.settings, counter, poll=0.05)
            pane = PrintPane(counter, runner, bridge)
            column = QWidget()  # the window's side column: the receipt view takes the rest
            column.setFixedSize(260, 700)  # a 1024-pixel screen's side pane
            layout = QVBoxLayout(column)
            layout.addStretch(1)
            layout.addWidget(pane)
            pane.setMaximumHeight(PRINT_PANE_HEIGHT)
            qtbot.add_widget(column)
            column.show()
            pane.on_task_failed(OSError("disk I/O error"))  # not a rule: the log has it
            qtbot.waitUntil(lambda: pane.message.isVisible(), timeout=WAIT)
            assert pane.message.text().startswith(
                "无法连接打印队列" if language == "zh_CN" else "Could not reach the print queue")
            qtbot.wait(50)
            need = pane.message.heightForWidth(pane.message.width())
            assert pane.message.height() >= need, (pane.message.height(), need)
            assert str(logs.current_path()) in pane.message.toolTip()  # where the details are
            column.grab().save(f"/tmp/ui-shots/printpane-trouble-{language}.png")
    finally:
        runner.shutdown(close_database)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_print_pane_shows_a_receipt_the_printer_did_not_confirm(qtbot, qapp: QApplication,
                                                                counter, tmp_path, language):
    installed, warning = install_translation(qapp, language)
    assert warning is None
    font = qapp.font()
    qapp.setFont(pick_font())
    fake = FakePrinter("ok", status=None)  # takes everything, never answers DLE EOT
    runner = TaskRunner("db-test")
    try:
        settings = dataclasses.replace(counter.settings, printer=dataclasses.replace(
            counter.settings.printer, connection=fake.connection))
        bridge = PrintBridge(settings, counter, poll=0.05,
                             send=partial(print_job, timeout=1, status_timeout=0.3))
        pane = PrintPane(counter, runner, bridge)
        pane.setFixedWidth(330)  # as in the counter window
        pane.setMaximumHeight(PRINT_PANE_HEIGHT)
        qtbot.add_widget(pane)
        factory.sale(counter, [("TEA", 1)])
        bridge.start()
        qtbot.waitUntil(lambda: pane.jobs.count() == 1 and pane.printed.isEnabled(),
                        timeout=WAIT)
        zh = language == "zh_CN"
        assert pane.summary.text() == ("打印机：1 张未确认" if zh else "Printer: 1 not confirmed")
        line = pane.jobs.item(0).text()
        where = f"127.0.0.1:{fake.port}"
        if zh:  # the printer's sentence too: no English word but the setting to change
            assert line.startswith(f"T01-000001: 未确认 — 网络打印机 {where} 已收下整个打印任务")
            rest = line.replace(where, "").replace("DLE EOT", "").replace(
                "[printer] reports_status = false", "")
            assert re.findall(r"[A-Za-z]{2,}", rest) == [], line
        else:
            assert line.startswith(f"T01-000001: not confirmed — network printer {where} took")
        assert ("已打印" if zh else "Printed") in pane.message.text()
        pane.show()
        qtbot.waitExposed(pane)
        shot = Path("/tmp") / f"printpane_{language}.png"
        assert pane.grab().save(str(shot))
        assert len(fake.jobs) == 1
        pane.printed.click()  # the cashier saw it come out
        qtbot.waitUntil(lambda: pane.summary.text() == (
            "打印机：全部已打印" if zh else "Printer: all printed"), timeout=WAIT)
        assert not pane.printed.isEnabled() and pane.message.text() == ""
        assert len(fake.jobs) == 1  # confirming prints nothing
        bridge.stop()
    finally:
        fake.close()
        qapp.setFont(font)
        remove_translation(qapp, installed)
        runner.shutdown(close_database)
