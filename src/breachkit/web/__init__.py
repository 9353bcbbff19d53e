"""The investigation workbench in the browser (`breachkit serve`; extra ``web``).

A local web application: browse the bundled cases and those under a root folder, run an
investigation with live progress (and cancel it), read the verdict by evidence class, turn the
vehicle and station in 3-D coloured by risk, and upload a telemetry record to a case. The layer
holds no physics: every number comes from `breachkit.investigate` and the parts it calls.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """The FastAPI application (`breachkit.web.app.create_app`); needs the ``web`` extra."""
    try:
        import fastapi  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "the workbench needs the 'web' extra: pip install 'breachkit[web]'"
        ) from exc
    from breachkit.web.app import create_app as _create

    return _create(*args, **kwargs)
