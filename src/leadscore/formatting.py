"""Numbers and labels as people read them, and the one Jinja2 environment every page and report
(index.html, revenue.html, impact.md, calibration.md) is rendered with."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from leadscore.paths import PACKAGE


def missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value, digits: int = 1) -> str:
    """value rounded half up to `digits` decimals, thousands separated, no trailing zeros:
    45.0 -> 45, 51.25 -> 51.3, 12345 -> 12,345."""
    if missing(value):
        return "–"
    rounded = Decimal(str(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def signed(value, digits: int = 1) -> str:
    """A change with its sign: +2.5, -5, 0; a change too small for `digits` gets more."""
    if missing(value):
        return "–"
    for places in (digits, digits + 1, digits + 2):
        text = number(value, places)
        if text != "0" or value == 0:
            break
    return text if text.startswith("-") or text == "0" else "+" + text


def whole(value) -> str:
    return "–" if missing(value) else f"{int(round(float(value))):,}"


def pct(value, digits: int = 1) -> str:
    """A share as a percentage: 0.1121 -> 11.2 %."""
    return "–" if missing(value) else f"{float(value) * 100:,.{digits}f} %"


def lift(value) -> str:
    return "–" if missing(value) else f"{number(value, 2)}×"


def fixed(value, digits: int = 3) -> str:
    """A figure with a fixed number of decimals, as AUCs are compared: 0.7 -> 0.700."""
    return "–" if missing(value) else f"{float(value):.{digits}f}"


def auc(value) -> str:
    return fixed(value, 3)


def day(value) -> str:
    return "–" if missing(value) else str(value)[:10]


def stage(value) -> str:
    """A lifecycle stage as people write it: MQL, SQL, Lead, ..."""
    if missing(value):
        return "–"
    return str(value).upper() if value in ("mql", "sql") else str(value).capitalize()


def label(value) -> str:
    """A seed value as a label for people: organic_search -> Organic search; LinkedIn Ads kept."""
    if missing(value):
        return "–"
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:] if text.islower() else text


FORMATS = {"text": lambda v: "" if missing(v) else str(v), "label": label, "whole": whole, "pct": pct,
           "points": number, "threshold": lambda v: number(v, 2), "signed": signed,
           "lift": lift, "auc": auc, "date": day, "stage": stage}


def formatted(value, kind: str = "text") -> str:
    return FORMATS[kind](value)


def fixed_signed(value, digits: int = 3) -> str:
    """A difference with its sign and fixed decimals: 0.046 -> +0.046, -0.01 -> -0.010."""
    return "–" if missing(value) else f"{float(value):+.{digits}f}"


def templates():
    """The package's Jinja2 templates: HTML ones escaped (lead names are data), markdown not."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE / "templates"),
        autoescape=lambda name: name is not None and ".html" in name,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined)
    env.filters.update({"fmt": formatted, "number": number, "signed": signed, "whole": whole,
                        "pct": pct, "stage": stage, "lift": lift, "auc": auc, "fixed": fixed,
                        "fixed_signed": fixed_signed})
    return env
