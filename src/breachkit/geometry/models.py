"""Built-in parametric models: Soyuz MS, Progress MS and a simplified ISS with its docking ports.

Every dimension is read from ``breachkit/data/geometry/vehicles.toml``, where each value carries
its public source (or is marked ``assumption`` where no public source gives it). The models are
closed triangle surfaces, wound outward, one region per part.

Body axes
---------
* Soyuz MS, Progress MS: +x along the long axis from the instrument-assembly compartment (PAO,
  aft) to the orbital/cargo module (forward); the origin is the docking interface at the forward
  end, so the vehicle occupies −7.48 m ≤ x ≤ 0 (Soyuz). +y along the solar-array span, +z = x × y.
  Port ``"forward"`` at the origin, axis +x, up +z.
* ISS: the ISS Analysis Coordinate System (NASA SSP 30219): +x forward (towards Harmony), +y
  starboard along the truss, +z nadir; origin at the centre of the S0 truss. In the +XVV flight
  attitude with zero TEA angles it coincides with LVLH.

The ISS module *positions* are a simplified layout built by stacking the public module lengths end
to end along the station's axes (see `iss_simplified`); they are not surveyed coordinates.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from breachkit._core.errors import InputError
from breachkit.geometry.primitives import box, revolve, rotation_between, spheroid_profile
from breachkit.geometry.surface import DockingPort, SurfaceModel

__all__ = [
    "ISS_PORTS",
    "dock",
    "iss_simplified",
    "iss_with_ms22_and_ms21",
    "progress_ms",
    "soyuz_ms",
    "vehicle_dimensions",
]

ISS_PORTS = (
    "rassvet_nadir",
    "poisk_zenith",
    "prichal_nadir",
    "zvezda_aft",
    "harmony_forward",
    "harmony_zenith",
)


@cache
def _data() -> dict[str, Any]:
    text = resources.files("breachkit").joinpath("data/geometry/vehicles.toml").read_text("utf-8")
    return tomllib.loads(text)


def vehicle_dimensions(vehicle: str) -> dict[str, Any]:
    """The dimension table [m] of ``"soyuz_ms"``, ``"progress_ms"`` or ``"iss"`` with sources."""
    d = _data()
    if vehicle not in d:
        raise InputError(f"vehicle {vehicle!r}: no dimension table (have {', '.join(d)})")
    return dict(d[vehicle])


def _along(
    model: SurfaceModel, axis: NDArray[np.float64], origin: NDArray[np.float64]
) -> SurfaceModel:
    """Move a model built about +x so that its +x runs along `axis`, its x=0 at `origin`."""
    return model.transformed(rotation_between([1.0, 0, 0], axis), origin)


def _service_module(sm: dict[str, Any], x_front: float, segments: int) -> SurfaceModel:
    """Intermediate compartment + PAO (radiator, coolant line) + aft flare, aft of `x_front`."""
    r = 0.5 * sm["diameter_m"]
    rb = 0.5 * sm["base_diameter_m"]
    x_aft = x_front - sm["length_m"]
    x_flare = x_aft + sm["flare_length_m"]
    x_pkho = x_front - sm["intermediate_length_m"]
    nseg = int(sm["coolant_line_segments"])
    az0 = np.radians(sm["coolant_line_azimuth_deg"])
    half = np.pi / segments * nseg

    def strip(az: NDArray[np.float64], band: NDArray[np.int64]) -> NDArray[np.bool_]:
        d = np.angle(np.exp(1j * (az - az0)))
        return (band == 1) & (np.abs(d) < half + 1e-9)

    return revolve(
        [x_aft, x_flare, x_pkho, x_front],
        [rb, r, r, r],
        ["pao_aft", "pao_radiator", "intermediate_compartment"],
        segments=segments,
        cap_regions=("pao_aft", "intermediate_compartment"),
        azimuth_region=strip,
        azimuth_region_name="pao_coolant_line",
    )


def _arrays(sm: dict[str, Any], arr: dict[str, Any], x_front: float, span: float) -> SurfaceModel:
    r = 0.5 * sm["diameter_m"]
    x_aft = x_front - sm["length_m"]
    x_flare = x_aft + sm["flare_length_m"]
    x_pkho = x_front - sm["intermediate_length_m"]
    xc = x_flare + arr["axial_position_fraction"] * (x_pkho - x_flare)
    wing = 0.5 * span - r
    parts = []
    for sign in (-1.0, 1.0):
        parts.append(
            box(
                [arr["width_m"], wing, arr["thickness_m"]],
                "solar_arrays",
                center=[xc, sign * (r + 0.5 * wing), 0.0],
                divisions=[2, 4, 1],
            )
        )
    return SurfaceModel.concatenate(parts)


def soyuz_ms(*, segments: int = 32) -> SurfaceModel:
    """Soyuz MS in its body frame (see the module docstring), regions:

    ``orbital_module`` (spheroid 2.98 m × 2.26 m), ``descent_module`` (bell 2.24 m × 2.17 m),
    ``intermediate_compartment``, ``pao_radiator`` (PAO cylinder skin, 2.15 m diameter),
    ``pao_coolant_line`` (a strip of the PAO skin at an assumed azimuth), ``pao_aft`` (flare to
    2.72 m and aft bulkhead), ``solar_arrays`` (two wings, 10.7 m span).

    Sources: Wikipedia 'Soyuz MS' infobox (span 10.7 m, width 2.72 m), Wikipedia 'Soyuz-TMA' /
    'Soyuz (spacecraft)' module tables (2.98 × 2.26, 2.24 × 2.17, 2.26 × 2.15 m); assumptions as
    marked in ``data/geometry/vehicles.toml``. Total length 7.48 m.

    Parameters
    ----------
    segments
        Azimuth segments of each surface of revolution.
    """
    d = vehicle_dimensions("soyuz_ms")
    om, dm, sm = d["orbital_module"], d["descent_module"], d["service_module"]
    x_om = -om["length_m"]
    xs, rs = spheroid_profile(x_om, om["length_m"], 0.5 * om["diameter_m"], n=9)
    orbital = revolve(
        xs,
        rs,
        ["orbital_module"] * (xs.size - 1),
        segments=segments,
        cap_regions=("orbital_module", "orbital_module"),
    )
    x_dm = x_om - dm["length_m"]
    descent = revolve(
        [x_dm, x_dm + 0.25 * dm["length_m"], x_om],
        [0.5 * dm["diameter_m"] * 0.97, 0.5 * dm["diameter_m"], 0.5 * dm["forward_diameter_m"]],
        ["descent_module", "descent_module"],
        segments=segments,
        cap_regions=("descent_module", "descent_module"),
    )
    service = _service_module(sm, x_dm, segments)
    arrays = _arrays(sm, d["solar_array"], x_dm, d["solar_array"]["span_m"])
    port = DockingPort("forward", (0.0, 0.0, 0.0), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    m = SurfaceModel.concatenate([orbital, descent, service, arrays])
    return SurfaceModel(m.vertices, m.faces, m.region_index, m.region_names, (port,))


def progress_ms(*, segments: int = 32) -> SurfaceModel:
    """Progress MS in its body frame (as Soyuz MS), regions:

    ``cargo_module``, ``refuelling_module``, and the Soyuz service module regions
    (``intermediate_compartment``, ``pao_radiator``, ``pao_coolant_line``, ``pao_aft``) and
    ``solar_arrays``. Total length 7.2 m, max diameter 2.72 m (RKK Energia via altusintel.com,
    2021-10-25); module split an assumption (see ``data/geometry/vehicles.toml``).
    """
    d = vehicle_dimensions("progress_ms")
    s = vehicle_dimensions("soyuz_ms")
    cm, rm = d["cargo_module"], d["refuelling_module"]
    sm = s["service_module"]
    x_cm = -cm["length_m"]
    xs, rs = spheroid_profile(x_cm, cm["length_m"], 0.5 * cm["diameter_m"], n=9, cut=0.9)
    cargo = revolve(
        xs,
        rs,
        ["cargo_module"] * (xs.size - 1),
        segments=segments,
        cap_regions=("cargo_module", "cargo_module"),
    )
    x_rm = x_cm - rm["length_m"]
    refuel = revolve(
        [x_rm, x_cm],
        [0.5 * rm["diameter_m"]] * 2,
        ["refuelling_module"],
        segments=segments,
        cap_regions=("refuelling_module", "refuelling_module"),
    )
    service = _service_module(sm, x_rm, segments)
    arr = dict(s["solar_array"])
    arrays = _arrays(sm, arr, x_rm, d["solar_array_span_m"])
    port = DockingPort("forward", (0.0, 0.0, 0.0), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    m = SurfaceModel.concatenate([cargo, refuel, service, arrays])
    return SurfaceModel(m.vertices, m.faces, m.region_index, m.region_names, (port,))


def _cyl(
    name: str,
    length: float,
    diameter: float,
    axis: list[float],
    start: NDArray[np.float64],
    segments: int,
) -> SurfaceModel:
    c = revolve(
        [0.0, length], [0.5 * diameter] * 2, [name], segments=segments, cap_regions=(name, name)
    )
    return _along(c, np.asarray(axis, dtype=float), start)


def iss_simplified(
    *, segments: int = 24, array_alpha_rad: float = 0.0, radiator_angle_rad: float = 0.0
) -> SurfaceModel:
    """A simplified ISS in the ISS Analysis Coordinate System (+x forward, +y starboard, +z nadir).

    Regions: one per pressurised module (``zvezda``, ``zarya``, ``pma1``, ``unity``, ``destiny``,
    ``harmony``, ``columbus``, ``kibo_pm``, ``tranquility``, ``rassvet``, ``poisk``, ``nauka``,
    ``prichal``), ``truss``, ``solar_arrays``, ``radiators``. Ports: `ISS_PORTS`.

    Layout (a simplification, every length from ``data/geometry/vehicles.toml``): the US lab
    Destiny lies along x under the truss at z = ``module_axis_z_m``; Harmony ahead of it, Unity,
    PMA-1, Zarya and Zvezda behind it end to end; Columbus (+y) and Kibo (−y) on Harmony's sides,
    Tranquility on Unity's port side; Rassvet on Zarya's nadir port (near Zarya's forward end),
    Poisk on Zvezda's zenith port and Nauka then Prichal on Zvezda's nadir port (both at Zvezda's
    forward transfer compartment). The truss is a solid 109 m box along y; four pairs of solar
    array wings (35 m × 11.6 m) at y = ±36 and ±50 m extend ±z, rotated by `array_alpha_rad` about
    y; three HRS radiators (23.3 m × 3.4 m) per side from |y| = 9 m extend nadir, rotated by
    `radiator_angle_rad` about y.

    Parameters
    ----------
    segments
        Azimuth segments of each module cylinder.
    array_alpha_rad
        Solar-array rotation about +y [rad] (0: wings in the y–z plane, facing ±x).
    radiator_angle_rad
        Radiator rotation about +y [rad] (0: in the y–z plane, facing ±x).
    """
    d = vehicle_dimensions("iss")
    mods = d["modules"]
    zm = float(d["module_axis_z_m"])
    ex, ey, ez = np.eye(3)

    def L(n: str) -> float:
        return float(mods[n]["length_m"])

    def D(n: str) -> float:
        return float(mods[n]["diameter_m"])

    parts: list[SurfaceModel] = []
    # US segment along x
    x_destiny = -2.0
    x_harmony = x_destiny + L("destiny")
    x_fwd = x_harmony + L("harmony")
    x_unity = x_destiny - L("unity")
    pma_len, pma_d = 2.0, 1.9  # assumption: PMA-1 about 2 m long, 1.9 m diameter
    x_pma = x_unity - pma_len
    x_zarya = x_pma - L("zarya")
    x_zvezda = x_zarya - L("zvezda")
    axis0 = np.array([0.0, 0.0, zm])
    for name, x0 in (
        ("destiny", x_destiny),
        ("harmony", x_harmony),
        ("unity", x_unity),
        ("zarya", x_zarya),
        ("zvezda", x_zvezda),
    ):
        parts.append(_cyl(name, L(name), D(name), [1, 0, 0], axis0 + x0 * ex, segments))
    parts.append(_cyl("pma1", pma_len, pma_d, [1, 0, 0], axis0 + x_pma * ex, segments))
    x_h_mid = x_harmony + 0.5 * L("harmony")
    parts.append(
        _cyl(
            "columbus",
            L("columbus"),
            D("columbus"),
            [0, 1, 0],
            axis0 + x_h_mid * ex + 0.5 * D("harmony") * ey,
            segments,
        )
    )
    parts.append(
        _cyl(
            "kibo_pm",
            L("kibo_pm"),
            D("kibo_pm"),
            [0, -1, 0],
            axis0 + x_h_mid * ex - 0.5 * D("harmony") * ey,
            segments,
        )
    )
    x_u_mid = x_unity + 0.5 * L("unity")
    parts.append(
        _cyl(
            "tranquility",
            L("tranquility"),
            D("tranquility"),
            [0, -1, 0],
            axis0 + x_u_mid * ex - 0.5 * D("unity") * ey,
            segments,
        )
    )
    # Russian segment radial modules
    x_zarya_nadir = (
        x_zarya + L("zarya") - 1.0
    )  # assumption: nadir port 1 m aft of Zarya's forward end
    x_zvezda_tc = (
        x_zvezda + L("zvezda") - 1.0
    )  # assumption: transfer compartment 1 m aft of Zvezda's forward end
    z_rassvet0 = zm + 0.5 * D("zarya")
    parts.append(
        _cyl(
            "rassvet",
            L("rassvet"),
            D("rassvet"),
            [0, 0, 1],
            np.array([x_zarya_nadir, 0, z_rassvet0]),
            segments,
        )
    )
    z_poisk0 = zm - 0.5 * D("zvezda")
    parts.append(
        _cyl(
            "poisk",
            L("poisk"),
            D("poisk"),
            [0, 0, -1],
            np.array([x_zvezda_tc, 0, z_poisk0]),
            segments,
        )
    )
    z_nauka0 = zm + 0.5 * D("zvezda")
    parts.append(
        _cyl(
            "nauka",
            L("nauka"),
            D("nauka"),
            [0, 0, 1],
            np.array([x_zvezda_tc, 0, z_nauka0]),
            segments,
        )
    )
    z_prichal0 = z_nauka0 + L("nauka")
    xs, rs = spheroid_profile(0.0, D("prichal"), 0.5 * D("prichal"), n=9, cut=0.9)
    prichal = revolve(
        xs, rs, ["prichal"] * (xs.size - 1), segments=segments, cap_regions=("prichal", "prichal")
    )
    parts.append(_along(prichal, ez, np.array([x_zvezda_tc, 0, z_prichal0])))
    # truss, arrays, radiators
    tw = float(d["truss_width_m"])
    tl = float(d["truss_length_m"])
    parts.append(box([tw, tl, tw], "truss", divisions=[1, 24, 1]))
    sa = d["solar_array"]
    wl, ww, th = float(sa["wing_length_m"]), float(sa["wing_width_m"]), float(sa["thickness_m"])
    ca, sa_ = np.cos(array_alpha_rad), np.sin(array_alpha_rad)
    rot_a = np.array([[ca, 0, sa_], [0, 1, 0], [-sa_, 0, ca]])
    for yc in (
        -float(sa["outboard_y_m"]),
        -float(sa["inboard_y_m"]),
        float(sa["inboard_y_m"]),
        float(sa["outboard_y_m"]),
    ):
        for sgn in (-1.0, 1.0):
            wing = box(
                [th, ww, wl],
                "solar_arrays",
                center=[0.0, 0.0, sgn * (0.5 * tw + 0.5 + 0.5 * wl)],
                divisions=[1, 4, 8],
            )
            parts.append(wing.transformed(rot_a, [0.0, yc, 0.0]))
    rd = d["radiator"]
    rl, rw, rt = float(rd["length_m"]), float(rd["width_m"]), float(rd["thickness_m"])
    cr, sr = np.cos(radiator_angle_rad), np.sin(radiator_angle_rad)
    rot_r = np.array([[cr, 0, sr], [0, 1, 0], [-sr, 0, cr]])
    for side in (-1.0, 1.0):
        for k in range(int(rd["count_per_side"])):
            yc = side * (float(rd["inboard_y_m"]) + (k + 0.5) * rw)
            plate = box(
                [rt, rw * 0.98, rl],
                "radiators",
                center=[0.0, 0.0, 0.5 * tw + 0.5 * rl],
                divisions=[1, 2, 6],
            )
            parts.append(plate.transformed(rot_r, [0.0, yc, 0.0]))
    m = SurfaceModel.concatenate(parts)
    ports = (
        DockingPort(
            "rassvet_nadir",
            (x_zarya_nadir, 0.0, z_rassvet0 + L("rassvet")),
            (0.0, 0.0, 1.0),
            (1.0, 0.0, 0.0),
        ),
        DockingPort(
            "poisk_zenith",
            (x_zvezda_tc, 0.0, z_poisk0 - L("poisk")),
            (0.0, 0.0, -1.0),
            (1.0, 0.0, 0.0),
        ),
        DockingPort(
            "prichal_nadir",
            (x_zvezda_tc, 0.0, z_prichal0 + D("prichal")),
            (0.0, 0.0, 1.0),
            (1.0, 0.0, 0.0),
        ),
        DockingPort("zvezda_aft", (x_zvezda, 0.0, zm), (-1.0, 0.0, 0.0), (0.0, 0.0, -1.0)),
        DockingPort("harmony_forward", (x_fwd, 0.0, zm), (1.0, 0.0, 0.0), (0.0, 0.0, -1.0)),
        DockingPort(
            "harmony_zenith",
            (x_h_mid, 0.0, zm - 0.5 * D("harmony")),
            (0.0, 0.0, -1.0),
            (1.0, 0.0, 0.0),
        ),
    )
    return SurfaceModel(m.vertices, m.faces, m.region_index, m.region_names, ports)


def dock(
    vehicle: SurfaceModel,
    station: SurfaceModel,
    port: str,
    *,
    vehicle_port: str = "forward",
    roll_rad: float = 0.0,
) -> SurfaceModel:
    """The vehicle placed at a station port, written in the station's frame.

    The vehicle's port axis is turned to point **into** the station (opposite to the station
    port's axis), the two interface centres coincide, and the vehicle's port `up` is aligned with
    the station port's `up` turned by `roll_rad` [rad] about the station port axis
    (right-handed). The vehicle's own ports are moved with it.
    """
    sp = station.port(port)
    vp = vehicle.port(vehicle_port)
    a = np.asarray(sp.axis, dtype=float)
    u = np.asarray(sp.up, dtype=float)
    c, s = np.cos(roll_rad), np.sin(roll_rad)
    u_r = c * u + s * np.cross(a, u)
    target = np.stack([-a, u_r, np.cross(-a, u_r)], axis=1)
    rot = target @ vp.frame().T
    t = np.asarray(sp.position_m, dtype=float) - rot @ np.asarray(vp.position_m, dtype=float)
    return vehicle.transformed(rot, t)


def iss_with_ms22_and_ms21(*, segments: int = 24, vehicle_segments: int = 32) -> SurfaceModel:
    """The ISS with Soyuz MS-22 at Rassvet nadir and Progress MS-21 at Poisk zenith.

    Both dockings as in ../shared/research/incidents.md §1–2 (MS-22 docked to Rassvet nadir on
    2022-09-21; Progress MS-21 at Poisk). Region names are prefixed ``iss/``, ``soyuz_ms22/``
    and ``progress_ms21/``; the vehicles' ports are prefixed likewise.
    """
    iss = iss_simplified(segments=segments)
    soyuz = dock(soyuz_ms(segments=vehicle_segments), iss, "rassvet_nadir").renamed("soyuz_ms22/")
    progress = dock(progress_ms(segments=vehicle_segments), iss, "poisk_zenith").renamed(
        "progress_ms21/"
    )
    return SurfaceModel.concatenate([iss.renamed("iss/"), soyuz, progress])
