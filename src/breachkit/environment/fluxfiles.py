"""Read a native environment-model output named in a case (`[environment] flux_files`).

One entry is a mapping with ``format`` ("master-2009": a folder of MASTER-2009 v7.02 spectra;
"mem3-igloo": a MEM 3 ``igloo_avg.txt``), ``path`` (already resolved by the caller) and the
reader's options — the conventions the files do not state are required by the readers
(`read_master_run`, `read_mem_igloo`) and never defaulted here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breachkit._core.errors import InputError
from breachkit.environment.directional import Population

__all__ = ["FLUX_FILE_FORMATS", "read_flux_file"]

FLUX_FILE_FORMATS = ("master-2009", "mem3-igloo")


def read_flux_file(spec: Mapping[str, Any]) -> Population:
    """The `Population` of one flux-file entry (module docstring); `InputError` on bad input."""
    opts = {k: v for k, v in spec.items() if v is not None}
    fmt = opts.pop("format", None)
    path = opts.pop("path", None)
    if fmt not in FLUX_FILE_FORMATS:
        raise InputError(f"flux file format {fmt!r} is not one of {', '.join(FLUX_FILE_FORMATS)}")
    if path is None:
        raise InputError(f"flux file ({fmt}): no path")
    if fmt == "master-2009":
        from breachkit.environment.master import read_master_run

        try:
            return read_master_run(path, **opts)
        except TypeError as exc:
            raise InputError(
                f"{path}: option not known to the MASTER-2009 reader ({exc})"
            ) from None
    from breachkit.environment.mem import read_mem_igloo

    for key in ("limiting_mass_kg", "density_kg_m3"):
        if key not in opts:
            raise InputError(f"{path}: MEM 3 igloo needs {key} (the file does not state it)")
    try:
        return read_mem_igloo(path, **opts)
    except TypeError as exc:
        raise InputError(f"{path}: option not known to the MEM 3 igloo reader ({exc})") from None
