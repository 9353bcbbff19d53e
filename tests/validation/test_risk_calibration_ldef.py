"""LDEF face ratios: the one published directional impact ratio the risk engine can be held to.

Published (NASA TM-2009-214785, Christiansen et al., *Handbook for Designing MMOD Protection*,
§2.8.2 p.17, as recorded in ../shared/research/mmod-references.md §5): the Long Duration Exposure
Facility had **20× more craters on its forward (ram) face than on its aft (wake) face, and 200×
more than on its Earth-facing side**.

LDEF (same notes, mmod.md V5; orbit values marked "standard" there, not re-read here): 28.5°,
about 477 km at deployment (April 1984) decaying to about 340 km at retrieval (January 1990),
gravity-gradient stabilised with a fixed orientation (its leading row about 8° off ram).

What is asserted. The Handbook sentence gives no crater size, so the particle size behind the
ratios is unknown; breachkit's ratios are computed for impacts above 10 µm, 100 µm and 1 mm, at
both ends of the LDEF altitude range and for two solar-activity assumptions. (1) The published
ranking forward > aft > Earth-facing holds everywhere. (2) The published forward/aft 20 lies
inside breachkit's envelope over those unknown inputs (7.8–22.5, `python
scripts/ldef_face_ratios.py`). (3) The published forward/Earth 200 is **not reproduced**:
breachkit gives 14–41 (×5–14 too low). (3) is a strict xfail, so that a change of the meteoroid
model that closes the gap fails the test and forces docs/risk.md ("Tool-comparison cases") to be
updated.

NASA-91 debris needs a year ≥ 1988 and the F10.7 of the previous year: the debris here is taken
at 1988.5 (LDEF flew 1984–1990; the model is not valid earlier) with F10.7 = 70 and 230 sfu, a
solar-minimum and a solar-maximum value (assumptions spanning a cycle, not the LDEF years'
measured values). NASA-91 debris arrives only from the forward half of the local horizontal
plane, so it adds nothing to the wake and Earth-facing faces: the test checks that too, which is
why the ranking does not depend on the debris assumption.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from breachkit._core.orbit import CircularOrbit
from breachkit._core.units import DEG, KM
from breachkit.damage import get_shield
from breachkit.environment.debris import debris_population
from breachkit.environment.directional import Environment
from breachkit.environment.sporadic import sporadic_population
from breachkit.risk.engine import ExposureWindow, FaceSet, compute_risk

#: Handbook TM-2009-214785 §2.8.2 p.17: LDEF craters, forward face / aft face.
LDEF_FORWARD_OVER_AFT = 20.0
#: Handbook TM-2009-214785 §2.8.2 p.17: LDEF craters, forward face / Earth-facing side.
LDEF_FORWARD_OVER_EARTH = 200.0

#: LVLH faces (+x ram, +z nadir): ram, wake, Earth-facing (nadir), space-facing (zenith).
NORMALS = np.array([[1.0, 0, 0], [-1.0, 0, 0], [0, 0, 1.0], [0, 0, -1.0]])
FACES = ("ram", "wake", "earth", "space")
THRESHOLDS_M = (1e-5, 1e-4, 1e-3)
DAY = 86400.0


def _face_impacts(altitude_km: float, f107_sfu: float) -> dict[float, dict[str, np.ndarray]]:
    """Impacts ≥ d per face (one year), by population, for each threshold d."""
    orbit = CircularOrbit(altitude_m=altitude_km * KM, inclination_rad=28.5 * DEG)
    pops = (
        sporadic_population(orbit.altitude_m),
        debris_population(orbit, 1988.5, f107_sfu),
    )
    faces = FaceSet(NORMALS, np.ones(4), np.arange(4), FACES)
    win = ExposureWindow("ldef", Environment(pops), 365.25 * DAY)
    out: dict[float, dict[str, np.ndarray]] = {}
    for d in THRESHOLDS_M:
        shields = {k: get_shield("constant", critical_diameter_m=d) for k in FACES}
        per_pop = {}
        for pop in pops:
            res = compute_risk(
                faces,
                ExposureWindow("ldef", Environment((pop,)), win.duration_s),
                shields,
                impact_min_diameter_m=d,
            )
            per_pop[pop.kind] = np.asarray(res.windows[0].face_impacts)
        out[d] = per_pop
    return out


@pytest.fixture(scope="module")
def ldef_impacts() -> dict[tuple[float, float], dict[float, dict[str, np.ndarray]]]:
    return {(h, s): _face_impacts(h, s) for h in (340.0, 477.0) for s in (70.0, 230.0)}


def test_handbook_tm2009_214785_p17_ldef_ranking_forward_aft_earth(ldef_impacts):
    """Published: forward 20× aft, 200× Earth-facing ⇒ forward > aft > Earth-facing."""
    assert LDEF_FORWARD_OVER_EARTH > LDEF_FORWARD_OVER_AFT > 1.0
    for (h, s), by_d in ldef_impacts.items():
        for d, per_pop in by_d.items():
            total = per_pop["meteoroid"] + per_pop["debris"]
            ram, wake, earth, _space = total
            assert ram > wake > earth > 0.0, (h, s, d, total)


def test_nasa91_debris_adds_nothing_to_wake_and_earth_faces(ldef_impacts):
    """Debris on circular orbits arrives horizontally from the forward half-plane
    (V = 2 v cos α, |α| < 90°): the wake and Earth-facing faces get exactly nothing, so the
    ranking above cannot depend on the debris year or F10.7 assumption."""
    for by_d in ldef_impacts.values():
        for per_pop in by_d.values():
            deb = per_pop["debris"]
            assert deb[0] > 0.0
            assert deb[1] == pytest.approx(0.0, abs=1e-12 * deb[0])
            assert deb[2] == pytest.approx(0.0, abs=1e-12 * deb[0])


def test_handbook_tm2009_214785_p17_ldef_forward_over_aft_within_unknown_input_envelope(
    ldef_impacts,
):
    """Published forward/aft = 20 (one significant figure: 15–25) must overlap breachkit's
    ram/wake envelope over the inputs the publication leaves open — crater (particle) size
    10 µm…1 mm, altitude 340…477 km, F10.7 70…230 sfu (debris share). The envelope is the
    tolerance: it is what those unknowns move the ratio by."""
    ratios = [
        float(
            (per_pop["meteoroid"][0] + per_pop["debris"][0])
            / (per_pop["meteoroid"][1] + per_pop["debris"][1])
        )
        for by_d in ldef_impacts.values()
        for per_pop in by_d.values()
    ]
    lo, hi = min(ratios), max(ratios)
    assert lo <= 1.25 * LDEF_FORWARD_OVER_AFT and hi >= 0.75 * LDEF_FORWARD_OVER_AFT, (lo, hi)
    # meteoroids alone (isotropic baseline) give ~8 at every size: the debris share matters
    met_only = [
        float(per_pop["meteoroid"][0] / per_pop["meteoroid"][1])
        for by_d in ldef_impacts.values()
        for per_pop in by_d.values()
    ]
    assert max(met_only) < 0.5 * LDEF_FORWARD_OVER_AFT


@pytest.mark.xfail(
    strict=True,
    reason=(
        "known disagreement: ram/Earth comes out 14-41 against LDEF's 200, with the default "
        "isotropic sporadic model and also with the opt-in 'sources' model averaged over the "
        "orbit (16-17 at 400 km); cause not found (docs/risk.md, Tool-comparison cases)"
    ),
)
def test_handbook_tm2009_214785_p17_ldef_forward_over_earth_magnitude(ldef_impacts):
    """Would pass if some altitude/size gave ram/Earth within a factor 2 of 200.

    Factor 2: the published figure has one significant figure ("200×", i.e. 150–250) and no
    crater size; breachkit's own ratio moves by up to ×2.1 over 10 µm…1 mm. A factor 2 covers both.
    """
    ratios = [
        float(
            (per_pop["meteoroid"][0] + per_pop["debris"][0])
            / (per_pop["meteoroid"][2] + per_pop["debris"][2])
        )
        for by_d in ldef_impacts.values()
        for per_pop in by_d.values()
    ]
    assert any(abs(math.log(r / LDEF_FORWARD_OVER_EARTH)) <= math.log(2.0) for r in ratios), ratios
