"""The breachkit flux-table reader: good files round-trip, bad files name file/row/column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from breachkit._core.errors import InputError
from breachkit.environment.tabulated import read_tabulated_flux

GOOD = """# population = ordem-test
# kind = debris
# density_kg_m3 = 2800
# source = hand-written test table
min_diameter_m,speed_km_s,azimuth_deg,elevation_deg,flux_per_m2_per_year
1e-4,10.5,0,0,2.0
1e-4,10.5,30,0,1.0
1e-4,7.5,-30,0,1.0
1e-4,10.5,30,10,0.0
1e-3,10.5,0,0,0.02
1e-3,10.5,30,0,0.01
1e-3,7.5,-30,0,0.01
1e-3,10.5,30,10,0.0
"""


def _write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_good_table(tmp_path):
    pop = read_tabulated_flux(_write(tmp_path, GOOD))
    assert pop.name == "ordem-test" and pop.kind == "debris" and pop.density_kg_m3 == 2800
    year = 3.15576e7
    assert pop.omnidirectional_flux(1e-4) * year == pytest.approx(4.0)
    assert pop.omnidirectional_flux(1e-3) * year == pytest.approx(0.04)
    # azimuth 0, elevation 0 is ram
    k = int(np.argmax(pop.directions.vectors[:, 0]))
    assert np.allclose(pop.directions.vectors[k], [1, 0, 0])
    # elevation +10° points towards zenith (−z)
    assert pop.directions.vectors[:, 2].min() < -0.1
    assert pop.plate_flux([1, 0, 0], 1e-4) * year == pytest.approx(2.0 + 2 * np.cos(np.radians(30)))


def test_whitespace_and_cm_columns(tmp_path):
    text = "min_diameter_cm speed_m_s azimuth_deg elevation_deg flux_per_m2_per_s\n"
    text += "0.01 10000 0 0 1e-7\n0.1 10000 0 0 1e-9\n"
    pop = read_tabulated_flux(_write(tmp_path, text))
    assert pop.reference_diameter_m == pytest.approx(1e-4)
    assert pop.omnidirectional_flux(1e-3) == pytest.approx(1e-9)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no header"),
        ("min_diameter_m,speed_km_s,azimuth_deg,elevation_deg\n1,2,3,4\n", "flux_per_m2_per_year"),
        (GOOD.replace("1e-3,10.5,0,0,0.02", "1e-3,abc,0,0,0.02"), r"row 10, column speed_km_s"),
        (GOOD.replace("1e-3,10.5,0,0,0.02", "1e-3,10.5,0,0"), r"row 10: 4 fields"),
        (GOOD.replace("1e-3,10.5,0,0,0.02", "1e-3,10.5,0,0,-1"), r"row 10, column flux"),
        (GOOD.replace("1e-3,10.5,0,0,0.02", "1e-3,10.5,0,95,0.02"), r"elevation_deg"),
        (GOOD.replace("1e-3,10.5,0,0,0.02", "1e-3,10.5,0,0,20"), "increases with diameter"),
        (GOOD.replace("1e-3,10.5,30,0,0.01", "1e-3,10.5,0,0,0.01"), "duplicate"),
        (GOOD.replace("# kind = debris", "# kind = rocks"), "kind"),
    ],
)
def test_bad_tables(tmp_path, text, message):
    with pytest.raises(InputError, match=message) as exc:
        read_tabulated_flux(_write(tmp_path, text, "bad.csv"))
    assert "bad.csv" in str(exc.value) and "\n" not in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_tabulated_flux(tmp_path / "none.csv")
