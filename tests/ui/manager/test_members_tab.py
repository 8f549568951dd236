"""The members tab: the overview computed on the worker with progress, charts, CSV export."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Slot

from terminal.loyalty.segments import SEGMENTS
from terminal.services import analytics
from tests.ui.manager.conftest import WAIT_MS, ZOMBIES


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel shows 中文 names
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[int, bool]] = []

    @Slot(int, str)
    def on_changed(self, pct: int, _what: str) -> None:
        self.seen.append((pct, QThread.currentThread() is self.thread()))


def test_overview_on_the_worker_fills_charts_and_tables(qtbot, window, shop):
    tab = window.members_tab
    receiver = Receiver()  # lives on the GUI thread, as the tab does
    tab.relay.changed.connect(receiver.on_changed)
    emitted_on_worker: list[bool] = []
    tab.relay.changed.connect(
        lambda *_: emitted_on_worker.append(QThread.currentThread() is not receiver.thread()),
        Qt.ConnectionType.DirectConnection)
    tab.refresh_button.click()
    assert not tab.refresh_button.isEnabled()  # one overview at a time
    qtbot.waitUntil(lambda: tab.overview is not None, timeout=WAIT_MS)

    assert [pct for pct, _ in receiver.seen] == [5, 60, 80, 90, 100]
    assert emitted_on_worker == [True] * 5  # the callback runs on the worker...
    assert all(on_gui for _, on_gui in receiver.seen)  # ...and Qt queues it to the GUI
    assert tab.progress.value() == 100 and tab.refresh_button.isEnabled()

    expected = analytics.overview(shop.ctx)  # the same figures, computed on the test thread
    counts = {r.segment: r.members for r in expected.segments}
    assert counts["zombie"] == ZOMBIES and counts["at_risk"] == 3 and counts["champions"] == 2
    segments = tab.models["segments"]
    assert [r.members for r in segments.rows] == [counts[s] for s in SEGMENTS]
    assert segments.text(SEGMENTS.index("zombie"), 0) == "Zombie (never bought)"
    assert segments.text(SEGMENTS.index("zombie"), 1) == str(ZOMBIES)
    # the chart: each segment's share of members and of revenue, its count in its name
    shown = list(reversed(expected.segments))  # horizontal bars: the first segment on top
    members_bars, revenue_bars = tab.segment_set, tab.revenue_set
    assert [members_bars.at(i) for i in range(members_bars.count())] == [
        round(r.share * 100, 1) for r in shown]
    assert [revenue_bars.at(i) for i in range(revenue_bars.count())] == [
        round(r.revenue_share * 100, 1) for r in shown]
    assert tab.segment_categories[-1] == "Champions (2)"
    assert tab.segment_categories[1] == f"Zombie ({ZOMBIES})"
    assert len(tab.segment_chart.series()) == 1

    assert len(tab.pareto_series.points()) == len(expected.pareto) == 21
    marker = tab.marker_series.points()
    assert len(marker) == 1 and marker[0].x() == 20
    assert abs(marker[0].y() - expected.top20_share * 100) < 1e-9
    top = f"{expected.top20_share * 100:.1f}%"
    assert top in tab.pareto_chart.title() and top in tab.summary.text()
    assert [tab.active_set.at(i) for i in range(3)] == [
        round(share * 100, 1) for _, _, share in expected.active]

    assert [r.name for r in tab.models["lapsed"].rows] == [r.name for r in expected.lapsed]
    assert tab.models["lapsed"].rows[0].segment == "at_risk"
    assert [r.name for r in tab.models["expiring"].rows] == ["孙丽"]
    assert [r.name for r in tab.models["birthdays"].rows] == ["张伟", "王芳"]
    assert tab.models["lapsed"].text(0, 2).count("*") == 4  # phones stay masked


def test_the_tab_opens_on_the_overview_last_computed_with_its_time(qtbot, shop, runner, clock):
    """No Refresh needed: the overview the last Refresh (or the nightly analyse-members)
    kept shows as the window opens, saying when it was computed; Refresh computes it again
    and keeps the new one."""
    from terminal.ui.manager.window import ManagerWindow

    kept = analytics.compute_overview(shop.ctx)
    win = ManagerWindow(shop.ctx, runner)
    qtbot.addWidget(win)
    win.show()
    tab = win.members_tab
    qtbot.waitUntil(lambda: tab.overview is not None, timeout=WAIT_MS)
    assert tab.overview == kept.overview and tab.progress.value() == 0
    assert tab.status.text().startswith(f"Figures of {kept.computed_at:%Y-%m-%d %H:%M}")
    assert tab.models["segments"].rows
    # today's lists are read after the kept overview is shown
    qtbot.waitUntil(lambda: bool(tab.models["birthdays"].rows), timeout=WAIT_MS)
    assert tab.refresh_button.isEnabled()
    clock.advance(hours=2)
    tab.refresh_button.click()
    # the progress bar reaches 100 on the worker's last step, before the result arrives:
    # wait for the result itself
    fresh = f"Figures of {clock.now:%Y-%m-%d %H:%M}"
    qtbot.waitUntil(lambda: tab.status.text().startswith(fresh), timeout=WAIT_MS)
    assert tab.progress.value() == 100
    again = analytics.kept_overview()
    assert again is not None and again.computed_at == clock.now


def test_with_nothing_kept_the_tab_asks_for_a_refresh(qtbot, window):
    tab = window.members_tab
    assert tab.overview is None and "Press Refresh" in tab.status.text()


def test_every_table_exports_its_rows_as_csv(qtbot, window, tmp_path):
    tab = window.members_tab
    assert not tab.export_buttons["lapsed"].isEnabled()  # nothing to export yet
    tab.on_refresh_clicked()
    qtbot.waitUntil(lambda: tab.overview is not None, timeout=WAIT_MS)
    for name, first_field in (("segments", "segment"), ("lapsed", "card_no"),
                              ("expiring", "card_no"), ("birthdays", "card_no")):
        path = tmp_path / f"{name}.csv"
        assert tab.export_buttons[name].isEnabled()
        assert tab.export_table(name, path) == path
        rows = read_csv(path)
        assert rows[0][0] == first_field
        assert len(rows) == len(tab.models[name].rows) + 1
        n = len(tab.models[name].rows)
        assert f"{n} {'row' if n == 1 else 'rows'} written" in tab.export_status.text()
    birthdays = read_csv(tmp_path / "birthdays.csv")
    assert [r[1] for r in birthdays[1:]] == ["张伟", "王芳"]
    segments = read_csv(tmp_path / "segments.csv")
    assert ["zombie", str(ZOMBIES)] == segments[1 + SEGMENTS.index("zombie")][:2]

    assert tab.export_table("lapsed", tmp_path / "no-such-dir" / "x.csv") is None
    assert "Could not write" in tab.export_status.text()


def test_closing_the_window_mid_overview_drops_the_late_results(qtbot, shop, runner):
    from terminal.ui.manager import ManagerWindow

    window = ManagerWindow(shop.ctx, runner)
    window.show()
    window.members_tab.on_refresh_clicked()
    window.close()
    window.deleteLater()  # as a caller with WA_DeleteOnClose would
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    qtbot.wait(50)  # progress signals queued for the deleted tab are dropped, not raised
