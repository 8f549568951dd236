"""The manager's charts: one look (title, legend, small axis fonts) and the few shapes the
tabs draw, bars against categories and lines against values."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractBarSeries,
    QAbstractSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter

LABEL_COLOUR = QColor("#222222")  # the theme's white labels are invisible on a light chart


def nice_top(value: float) -> float:
    """A round upper bound for an axis: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 10.0
    step = 1.0
    while step * 10 < value:
        step *= 10
    for k in (1, 2, 5, 10):
        if k * step >= value * 1.15:
            return k * step
    return 10 * step


def make_chart(title: str, font: QFont) -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    title_font = QFont(font)
    title_font.setPointSizeF(font.pointSizeF() * 0.85)
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.setTitle(title)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(small_font(font))
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def small_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() * 0.72))
    return small


def value_axis(title: str, font: QFont, top: float, fmt: str) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, top)
    axis.setLabelFormat(fmt)
    axis.setTitleText(title)
    axis.setTitleFont(small_font(font))
    axis.setLabelsFont(small_font(font))
    return axis


def chart_view(chart: QChart, min_height: int) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(min_height)
    return view


def clear_chart(chart: QChart) -> None:
    """Every series and axis off ``chart``, before it is drawn again."""
    for series in chart.series():
        chart.removeSeries(series)
    for axis in chart.axes():
        chart.removeAxis(axis)


def bar_set(name: str, colour: QColor, values: Sequence[float],
            label_font: QFont | None = None) -> QBarSet:
    """One colour's bars; with ``label_font`` each bar's value is written by it."""
    bars = QBarSet(name)
    bars.setColor(colour)
    bars.append(list(values))
    if label_font is not None:
        bars.setLabelFont(label_font)
        bars.setLabelColor(LABEL_COLOUR)
    return bars


def bar_series(*sets: QBarSet, labels: str = "", outside: bool = False,
               horizontal: bool = False) -> QAbstractBarSeries:
    """``sets`` side by side; ``labels`` (such as "@value%") writes each value, ``outside``
    beyond the bar's end."""
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    for one in sets:
        series.append(one)
    if labels:
        series.setLabelsVisible(True)
        series.setLabelsFormat(labels)
    if outside:
        series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    return series


def category_axis(names: Sequence[str], font: QFont) -> QBarCategoryAxis:
    """The bars' names, whole (never cut to "…")."""
    axis = QBarCategoryAxis()
    axis.append(list(names))
    axis.setLabelsFont(small_font(font))
    axis.setTruncateLabels(False)
    return axis


def plot(chart: QChart, x: QAbstractAxis, y: QAbstractAxis, *series: QAbstractSeries) -> None:
    """``series`` on ``chart`` against ``x`` along the bottom and ``y`` up the left."""
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for one in series:
        chart.addSeries(one)
        one.attachAxis(x)
        one.attachAxis(y)
