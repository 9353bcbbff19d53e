"""`breachkit ble`."""

from __future__ import annotations

import json

from breachkit.cli.main import main


def test_list_json(capsys):
    assert main(["ble", "--list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = {r["name"] for r in rows}
    assert {"whipple_iss_generic", "soyuz_mli_over_amg6", "radiator_generic", "constant"} <= names
    assert all(r["source"] for r in rows)


def test_curves_json_and_plot(capsys, tmp_path):
    png = tmp_path / "c.png"
    rc = main(
        [
            "ble",
            "--shield",
            "soyuz_mli_over_amg6",
            "--angle-deg",
            "0,45",
            "--json",
            "--plot",
            str(png),
        ]
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert [c["angle_deg"] for c in out["curves"]] == [0.0, 45.0]
    v = out["speed_m_s"]
    assert v[0] == 1000.0 and v[-1] == 15000.0
    i7 = v.index(7000.0)
    # Handbook Table 6-1 baseline: 0.186 cm at 7 km/s, 0°
    assert abs(out["curves"][0]["critical_diameter_m"][i7] - 0.186e-2) < 0.0005e-2
    assert png.stat().st_size > 1000


def test_param_override_and_table(capsys):
    assert (
        main(
            [
                "ble",
                "--shield",
                "single_wall",
                "--param",
                "thickness_m=0.002",
                "--param",
                "material=amg6",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "amg6" in text and "speed" in text


def test_bad_input_exit_2(capsys):
    assert main(["ble", "--shield", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: shield: unknown shield 'nope'") and err.count("\n") == 1
    assert main(["ble", "--shield", "whipple", "--param", "standoff_m=0"]) == 2
    assert "standoff_m" in capsys.readouterr().err
    assert main(["ble", "--shield", "whipple", "--angle-deg", "0,95"]) == 2
    assert main(["ble"]) == 2
