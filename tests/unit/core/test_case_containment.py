"""A case's file references stay inside its folder unless a root is allowed (issue 19, security)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from breachkit._core.casefile import allow_roots, read_case
from breachkit._core.errors import InputError
from breachkit.cli.main import main


def _case(tmp_path: Path, ref: str) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "inside.csv").write_text("t,p\n0,1\n", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "case.toml").write_text(
        f'[telemetry]\nfile = "{ref}"\nchannel = "p"\nunit = "Pa"\nkind = "generic"\n',
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    p = tmp_path / "secret.txt"
    p.write_text("TOP SECRET first line\n", encoding="utf-8")
    return p


def test_inside_is_fine(tmp_path: Path) -> None:
    case = read_case(_case(tmp_path, "inside.csv"))
    assert case.resolve_path("inside.csv", field="[telemetry] file").name == "inside.csv"
    assert case.resolve_path("sub/../inside.csv", field="f").name == "inside.csv"


@pytest.mark.parametrize("kind", ["absolute", "dotdot", "symlink"])
def test_outside_is_refused_in_one_line(tmp_path: Path, secret: Path, kind: str) -> None:
    folder = _case(tmp_path, "inside.csv")
    case = read_case(folder)
    if kind == "absolute":
        ref = str(secret)
    elif kind == "dotdot":
        ref = "../secret.txt"
    else:
        (folder / "link.csv").symlink_to(secret)
        ref = "link.csv"
    with pytest.raises(InputError) as exc:
        case.resolve_path(ref, field="[telemetry] file")
    msg = str(exc.value)
    assert "outside the case folder" in msg and "[telemetry] file" in msg
    assert "\n" not in msg and "TOP SECRET" not in msg


def test_allowed_root_lets_it_through(tmp_path: Path, secret: Path) -> None:
    case = read_case(_case(tmp_path, "inside.csv"))
    with allow_roots([tmp_path]):
        assert case.resolve_path(str(secret), field="f") == secret
    with pytest.raises(InputError):
        case.resolve_path(str(secret), field="f")


def test_env_allows_a_root(tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = read_case(_case(tmp_path, "inside.csv"))
    monkeypatch.setenv("BREACHKIT_ALLOW_ROOT", str(tmp_path))
    assert case.resolve_path("../secret.txt", field="f").resolve() == secret.resolve()


def test_cli_refuses_and_allow_root_accepts(tmp_path: Path, secret: Path, capsys) -> None:
    folder = _case(tmp_path, "../secret.txt")
    rc = main(["investigate", str(folder), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert rc == 2 and "outside the case folder" in err and "TOP SECRET" not in err
    assert not (tmp_path / "out").exists()
    rc = main(
        ["--allow-root", str(tmp_path), "investigate", str(folder), "--out", str(tmp_path / "o2")]
    )
    err = capsys.readouterr().err
    assert "outside the case folder" not in err  # refused later as bad telemetry, not as a path
    # the allowance lasts for one call only
    case = read_case(folder)
    with pytest.raises(InputError, match="outside the case folder"):
        case.resolve_path("../secret.txt", field="f")
    del rc


def test_outputs_replace_a_symlink_instead_of_writing_through(tmp_path: Path) -> None:
    from breachkit.report.atomic import write_files_atomically

    target = tmp_path / "victim.txt"
    target.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").symlink_to(target)
    write_files_atomically({out / "report.html": "new"})
    assert target.read_text(encoding="utf-8") == "keep me"
    assert not (out / "report.html").is_symlink()
    assert (out / "report.html").read_text(encoding="utf-8") == "new"


def test_stale_temp_files_are_removed(tmp_path: Path) -> None:
    from breachkit.report.atomic import write_files_atomically

    dead_pid = 2**22 + 12345  # above the usual pid_max: no such process
    stale = tmp_path / f".results.json.{dead_pid}.abc123.tmp"
    stale.write_text("half", encoding="utf-8")
    mine = tmp_path / f".results.json.{os.getpid()}.zzz.tmp"
    mine.write_text("in progress", encoding="utf-8")
    write_files_atomically({tmp_path / "results.json": "{}"})
    assert not stale.exists()
    assert mine.exists()  # a live writer's temp file is left alone
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".results")) == [
        mine.name
    ]
