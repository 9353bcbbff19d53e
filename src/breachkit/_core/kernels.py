"""Choice of the inner-loop implementation: compiled (numba) or numpy.

The ray bookkeeping of `breachkit.geometry.shadowing.visibility` and the per-face contraction of
`breachkit.risk.compute_risk` have two implementations that give the same answer: numpy
(always there) and numba kernels (extra ``speed``: ``pip install 'breachkit[speed]'``), which
do the same work in one pass without temporaries and release the GIL. ``"auto"`` takes numba
when it can be imported; the environment variable ``BREACHKIT_KERNELS=numpy`` forces numpy.
The first use of the numba kernels in a fresh install compiles them (a few seconds) and caches
the machine code next to the module (or in numba's user cache).
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

from breachkit._core.errors import InputError

KERNEL_NAMES = ("auto", "numba", "numpy")


def numba_kernels(name: str | None = "auto") -> ModuleType | None:
    """The numba kernel module for `name`, or None for the numpy implementation.

    Parameters
    ----------
    name
        ``"auto"`` (numba if importable and not disabled by ``BREACHKIT_KERNELS=numpy``),
        ``"numba"`` (an ImportError naming the extra when numba is missing) or ``"numpy"``.
    """
    if name is None:
        name = "auto"
    if name not in KERNEL_NAMES:
        raise InputError(f"kernels: {name!r} is not one of {', '.join(KERNEL_NAMES)}")
    if name == "numpy":
        return None
    if name == "auto":
        env = os.environ.get("BREACHKIT_KERNELS", "auto").strip().lower()
        if env == "numpy":
            return None
        if env not in KERNEL_NAMES:
            raise InputError(f"BREACHKIT_KERNELS: {env!r} is not one of {', '.join(KERNEL_NAMES)}")
        if env == "numba":
            name = "numba"
    try:
        mod = importlib.import_module("breachkit._core._numba_kernels")
    except ImportError as exc:
        if name == "numba":
            raise ImportError(
                "the numba kernels need numba: pip install 'breachkit[speed]'"
            ) from exc
        return None
    return mod
