"""A second, minimal binding to the Embree 4 library that embreex ships, for compiled callers.

embreex casts each call's rays in a loop that releases the GIL, but every call goes through
Python: at about 8,000 calls per risk run, the per-call bookkeeping around it cost 10–15 % of
the tracing time (benchmarks/risk_iss_scale.py). This module loads the *same* shared library
(``embreex.libs/libembree4*.so*``) through ctypes, builds a triangle scene of a model exactly as
embreex does (float3 vertices, uint3 indices, RTC_SCENE_FLAG_ROBUST, default build quality), and hands
out the scene handle and the address of ``rtcOccluded1``, so that a numba kernel
(`breachkit._core._numba_kernels.cast_directions`) can set up and cast the rays of whole
directions without returning to Python. The rays are set up as embreex sets them (tnear 0,
tfar 1e37, all mask bits), so the answers are the same (tests/unit/geometry compare both).

Embree 4 C API used (rtcore_device.h, rtcore_scene.h, rtcore_geometry.h, rtcore_buffer.h;
enum values from rtcore_common.h / rtcore_buffer.h): RTC_GEOMETRY_TYPE_TRIANGLE = 0,
RTC_BUFFER_TYPE_INDEX = 0, RTC_BUFFER_TYPE_VERTEX = 1, RTC_FORMAT_UINT3 = 0x5003,
RTC_FORMAT_FLOAT3 = 0x9003, RTC_SCENE_FLAG_ROBUST = 1 << 2. Without the robust flag one of
33 M benchmark rays (grazing a triangle edge) came out unblocked where embreex says blocked;
with it, none differ. Not found (another platform, another embreex layout): `load`
returns None and callers use embreex.
"""

from __future__ import annotations

import ctypes
import glob
import os
import weakref
from functools import cache

import numpy as np
from numpy.typing import NDArray

_GEOMETRY_TRIANGLE = 0
_BUFFER_INDEX = 0
_BUFFER_VERTEX = 1
_FORMAT_UINT3 = 0x5003
_FORMAT_FLOAT3 = 0x9003
_SCENE_FLAG_ROBUST = 1 << 2


@cache
def load() -> ctypes.CDLL | None:
    """The Embree 4 library bundled with embreex, with argument types declared, or None."""
    try:
        import embreex
    except ImportError:
        return None
    root = os.path.dirname(os.path.dirname(os.path.abspath(embreex.__file__)))
    paths = sorted(glob.glob(os.path.join(root, "embreex.libs", "libembree4*.so*")))
    if not paths:
        return None
    try:
        lib = ctypes.CDLL(paths[0])
        vp = ctypes.c_void_p
        lib.rtcNewDevice.restype = vp
        lib.rtcNewDevice.argtypes = [ctypes.c_char_p]
        lib.rtcNewScene.restype = vp
        lib.rtcNewScene.argtypes = [vp]
        lib.rtcNewGeometry.restype = vp
        lib.rtcNewGeometry.argtypes = [vp, ctypes.c_int]
        lib.rtcSetNewGeometryBuffer.restype = vp
        lib.rtcSetNewGeometryBuffer.argtypes = [
            vp,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_size_t,
            ctypes.c_size_t,
        ]
        for name in (
            "rtcCommitGeometry",
            "rtcReleaseGeometry",
            "rtcCommitScene",
            "rtcReleaseScene",
            "rtcReleaseDevice",
        ):
            getattr(lib, name).restype = None
            getattr(lib, name).argtypes = [vp]
        lib.rtcSetSceneFlags.restype = None
        lib.rtcSetSceneFlags.argtypes = [vp, ctypes.c_int]
        lib.rtcAttachGeometry.restype = ctypes.c_uint
        lib.rtcAttachGeometry.argtypes = [vp, vp]
        lib.rtcGetDeviceError.restype = ctypes.c_int
        lib.rtcGetDeviceError.argtypes = [vp]
        _ = lib.rtcOccluded1
    except (OSError, AttributeError):
        return None
    return lib


class DirectScene:
    """A committed Embree scene of triangles, owned here (released by `close`).

    Parameters
    ----------
    vertices
        (n, 3) vertex positions [m] (converted to float32, as embreex does).
    faces
        (m, 3) vertex indices of each triangle.
    """

    def __init__(self, vertices: NDArray[np.float64], faces: NDArray[np.int64]) -> None:
        lib = load()
        if lib is None:
            raise ImportError("the Embree library of embreex was not found")
        self._lib = lib
        v = np.ascontiguousarray(vertices, dtype=np.float32)
        f = np.ascontiguousarray(faces, dtype=np.uint32)
        self._device = lib.rtcNewDevice(None)
        if not self._device:
            raise RuntimeError("Embree: rtcNewDevice failed")
        self._scene = lib.rtcNewScene(self._device)
        # embreex's scenes are robust (conservative traversal: a ray grazing a triangle edge
        # counts as a hit); the same flag gives the same answers
        lib.rtcSetSceneFlags(self._scene, _SCENE_FLAG_ROBUST)
        geom = lib.rtcNewGeometry(self._device, _GEOMETRY_TRIANGLE)
        vb = lib.rtcSetNewGeometryBuffer(geom, _BUFFER_VERTEX, 0, _FORMAT_FLOAT3, 12, v.shape[0])
        ib = lib.rtcSetNewGeometryBuffer(geom, _BUFFER_INDEX, 0, _FORMAT_UINT3, 12, f.shape[0])
        if not vb or not ib:
            lib.rtcReleaseGeometry(geom)
            self.close()
            raise RuntimeError("Embree: rtcSetNewGeometryBuffer failed")
        ctypes.memmove(vb, v.ctypes.data, v.nbytes)
        ctypes.memmove(ib, f.ctypes.data, f.nbytes)
        lib.rtcCommitGeometry(geom)
        lib.rtcAttachGeometry(self._scene, geom)
        lib.rtcReleaseGeometry(geom)
        lib.rtcCommitScene(self._scene)
        err = lib.rtcGetDeviceError(self._device)
        if err != 0:
            self.close()
            raise RuntimeError(f"Embree: error code {err} while building the scene")
        #: address of ``rtcOccluded1`` and the scene handle, as integers for a compiled caller
        self.occluded1 = int(ctypes.cast(lib.rtcOccluded1, ctypes.c_void_p).value or 0)
        self.handle = int(self._scene or 0)
        # released when closed, or when the object is collected without being closed
        self._finalizer = weakref.finalize(self, _release, lib, self._scene, self._device)

    def close(self) -> None:
        """Release the scene and the device (idempotent)."""
        fin = getattr(self, "_finalizer", None)
        if fin is not None:
            fin()
        else:  # failed half-way through __init__
            _release(self._lib, getattr(self, "_scene", None), getattr(self, "_device", None))
        self._scene = None
        self._device = None
        self.handle = 0


def _release(lib: ctypes.CDLL, scene: int | None, device: int | None) -> None:
    if scene:
        lib.rtcReleaseScene(scene)
    if device:
        lib.rtcReleaseDevice(device)
