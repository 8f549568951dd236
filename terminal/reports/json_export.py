"""Reports as JSON: the end-of-day report exactly as a closed day keeps it (so it reads back
into an ``EodReport``), the economics with their derived ratios spelled out."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from ..loyalty.economics import BENCHMARK_COST_SHARE, percent
from ..services.economics import EconomicsReport
from ..services.eod_figures import EodReport
from ..services.printing import decode, encode


def eod_json(rep: EodReport) -> str:
    """Indented JSON of every figure; ``eod_from_json`` reads it back."""
    return json.dumps(json.loads(encode(rep)), ensure_ascii=False, indent=2) + "\n"


def eod_from_json(text: str) -> EodReport:
    return decode(EodReport, text)


def _pct(value: Any) -> str | None:
    shown: Decimal | None = percent(value, 2)
    return None if shown is None else str(shown)


def economics_json(rep: EconomicsReport) -> str:
    data = json.loads(encode(rep))
    redemption = rep.redemption
    data["derived"] = {
        "expected_redemption_rate_percent": _pct(redemption.rate),
        "redemption_rate_learned": redemption.learned,
        "expected_liability": rep.expected_liability,
        "breakage_percent": _pct(rep.breakage),
        "cost": rep.cost,
        "cost_share_percent": _pct(rep.cost_share),
        "benchmark_percent": _pct(BENCHMARK_COST_SHARE),
        "verdict": rep.verdict,
        "months": [{"month": f"{mo.month:%Y-%m}", "cost": mo.costs.total}
                   for mo in rep.months],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def plain(rep: object) -> dict[str, Any]:
    """A report as plain data (what the JSON holds)."""
    if not dataclasses.is_dataclass(rep) or isinstance(rep, type):
        raise TypeError("a report dataclass is needed")
    result: dict[str, Any] = json.loads(encode(rep))
    return result
