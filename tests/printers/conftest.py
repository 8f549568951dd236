"""The receipt job the printer tests send."""

from __future__ import annotations

import pytest

from printers.layouts import LayoutOptions, receipt
from printers.render import render_bytes

from . import samples


@pytest.fixture
def job() -> bytes:
    return render_bytes(receipt(samples.sale(), LayoutOptions(cash_drawer=True)))
