"""The demo farmer's harvest lots: plots named as the producer names them, picked a few days ago."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LotSeed:
    plot: str
    days_ago: int
    grade: str
    test_result: str
    units: int  # received into stock, for each of the product's sizes


LOTS = (
    LotSeed("葡萄沟上坡葡萄园", 6, "special", "农药残留检测合格（吐鲁番市农产品检测站）", 60),
    LotSeed("坎儿井旁老园", 3, "first", "", 40),
)
