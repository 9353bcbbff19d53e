"""Plot specifications (plain data in the results) drawn as embedded PNG images.

A plot specification is a dict ``{title, kind, x, series: [{label, y}], xlabel, ylabel, source}``
with ``kind`` one of ``"line"`` (x numbers or ISO 8601 instants), ``"bar"`` (x category labels) or
``"scatter"`` (x, one series' y, and optional ``c`` colour values with ``clabel``). It is drawn with
matplotlib (Agg, no display) into a PNG, returned as a ``data:`` URI so the report needs no file
beside it and no network.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

__all__ = ["PLOT_EXTRA_HINT", "PlotsUnavailableError", "plot_data_uri", "plots_available"]

#: What the user installs to get the figures.
PLOT_EXTRA_HINT = "matplotlib (pip install 'breachkit[plot]')"


class PlotsUnavailableError(ImportError):
    """matplotlib cannot be imported: the figure is not drawn (the report says so)."""


def plots_available() -> bool:
    """True when matplotlib can be imported (figures will be drawn)."""
    try:
        _import_pyplot()
    except PlotsUnavailableError:
        return False
    return True


def _import_pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise PlotsUnavailableError(f"this figure needs {PLOT_EXTRA_HINT}") from exc
    return plt


def _x_values(xs: list[Any]) -> list[Any]:
    if xs and all(isinstance(x, str) for x in xs):
        try:
            return [datetime.fromisoformat(x.replace("Z", "+00:00")) for x in xs]
        except ValueError:
            return xs
    return xs


def _finite(y: list[Any]) -> list[float]:
    return [float("nan") if v is None else float(v) for v in y]


def plot_data_uri(spec: Mapping[str, Any], *, width_in: float = 7.0, height_in: float = 3.4) -> str:
    """Draw one plot specification and return ``data:image/png;base64,...``."""
    plt = _import_pyplot()
    kind = spec.get("kind", "line")
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=110)
    try:
        xs = list(spec.get("x", []))
        series = list(spec.get("series", []))
        if kind == "bar":
            n = max(len(series), 1)
            width = 0.8 / n
            positions = list(range(len(xs)))
            for i, s in enumerate(series):
                ax.bar(
                    [p + (i - (n - 1) / 2) * width for p in positions],
                    _finite(list(s.get("y", []))),
                    width=width,
                    label=str(s.get("label", "")),
                )
            ax.set_xticks(positions)
            ax.set_xticklabels([str(x) for x in xs], rotation=30, ha="right", fontsize=8)
            if spec.get("logy"):
                ax.set_yscale("log")
        elif kind == "scatter":
            s0 = series[0] if series else {"y": []}
            c = spec.get("c")
            sc = ax.scatter(
                _finite(xs),
                _finite(list(s0.get("y", []))),
                c=_finite(list(c)) if c is not None else None,
                s=8,
                cmap="inferno",
            )
            if c is not None:
                fig.colorbar(sc, ax=ax, label=str(spec.get("clabel", "")))
            if spec.get("equal_aspect", True):
                ax.set_aspect("equal", adjustable="datalim")
        else:
            xv = _x_values(xs)
            for s in series:
                ax.plot(xv, _finite(list(s.get("y", []))), label=str(s.get("label", "")), lw=1.2)
            for mark in spec.get("vlines", []):
                at = _x_values([mark.get("x")])[0]
                ax.axvline(at, color="crimson", ls="--", lw=1)
                if mark.get("label"):
                    ax.annotate(
                        str(mark["label"]),
                        (at, 1.0),
                        xycoords=("data", "axes fraction"),
                        fontsize=7,
                        va="top",
                        color="crimson",
                    )
            if spec.get("logy"):
                ax.set_yscale("log")
            fig.autofmt_xdate()
        ax.set_title(str(spec.get("title", "")), fontsize=10)
        ax.set_xlabel(str(spec.get("xlabel", "")))
        ax.set_ylabel(str(spec.get("ylabel", "")))
        if len(series) > 1 or (series and series[0].get("label") and kind != "scatter"):
            ax.legend(fontsize=7)
        ax.grid(True, alpha=0.3)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    finally:
        plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
