import pytest
from pydantic import BaseModel, Field

from breachkit._core.casefile import load_section, read_case
from breachkit._core.errors import InputError


class Orbit(BaseModel):
    altitude_km: float = Field(gt=0)
    inclination_deg: float = Field(ge=0, le=180)


def test_section_error_names_file_section_and_key(tmp_path):
    (tmp_path / "case.toml").write_text("[orbit]\naltitude_km = -5\ninclination_deg = 51.6\n")
    case = read_case(tmp_path)
    with pytest.raises(InputError, match=r"case.toml: \[orbit\] altitude_km: .*greater than 0"):
        load_section(case, "orbit", Orbit)


def test_missing_section_and_bad_toml(tmp_path):
    (tmp_path / "case.toml").write_text("[incident]\nx = 1\n")
    case = read_case(tmp_path)
    with pytest.raises(InputError, match=r"section \[orbit\] is missing"):
        load_section(case, "orbit", Orbit)
    assert load_section(case, "orbit", Orbit, required=False) is None
    (tmp_path / "case.toml").write_text("[orbit\n")
    with pytest.raises(InputError, match="not valid TOML"):
        read_case(tmp_path / "case.toml")


def test_empty_case_file_is_refused(tmp_path):
    (tmp_path / "case.toml").write_text("# nothing\n")
    with pytest.raises(InputError, match="empty"):
        read_case(tmp_path)


def test_resolve_path(tmp_path):
    (tmp_path / "case.toml").write_text("[incident]\n")
    (tmp_path / "a.csv").write_text("x")
    case = read_case(tmp_path)
    assert case.resolve_path("a.csv", field="telemetry.file").name == "a.csv"
    with pytest.raises(InputError, match=r"telemetry\.file: file 'b\.csv' does not exist"):
        case.resolve_path("b.csv", field="telemetry.file")
