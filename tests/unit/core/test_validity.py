import numpy as np
import pytest

from breachkit._core.validity import (
    OutOfValidityRangeError,
    ValidityRange,
    ValidityWarning,
    apply_validity,
    strict,
)

RANGE = ValidityRange("mass_kg", 1e-21, 0.1, "kg", source="test")


def test_in_range_passes_through_scalar():
    out = apply_validity("m", 2.0, {"mass_kg": (1e-3, RANGE)})
    assert isinstance(out, float)
    assert out == 2.0


def test_out_of_range_gives_nan_and_one_warning():
    x = np.array([1e-3, 1.0, 2.0])
    with pytest.warns(ValidityWarning, match=r"mass_kg=1 outside \[1e-21, 0.1\] kg \(2 elements\)"):
        out = apply_validity("m", x * 10, {"mass_kg": (x, RANGE)})
    assert out[0] == pytest.approx(1e-2)
    assert np.isnan(out[1:]).all()


def test_strict_raises_naming_argument_value_and_range():
    with strict(), pytest.raises(OutOfValidityRangeError) as info:
        apply_validity("grun_flux", 1.0, {"mass_kg": (5.0, RANGE)})
    msg = str(info.value)
    assert "grun_flux" in msg and "mass_kg=5" in msg and "[1e-21, 0.1] kg" in msg


def test_nan_input_is_not_out_of_range():
    out = apply_validity("m", np.nan, {"mass_kg": (np.nan, RANGE)})
    assert np.isnan(out)


def test_open_bounds():
    r = ValidityRange("x", 0.0, np.inf, low_inclusive=False)
    assert r.contains([1e-300, 1e300]).all()
    assert not r.contains(0.0)
