"""Who may talk to the workbench and which folders it may read (breachkit.web.security)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from breachkit._core.errors import InputError
from breachkit.web.security import CaseRoots, is_loopback, new_token, token_matches


def _case(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "case.toml").write_text('[incident]\nvehicle = "x"\n', encoding="utf-8")
    return folder


@pytest.fixture
def roots(tmp_path: Path) -> CaseRoots:
    _case(tmp_path / "bundled" / "good")
    _case(tmp_path / "user" / "team" / "mine")
    _case(tmp_path / "outside" / "secret")
    os.symlink(tmp_path / "outside" / "secret", tmp_path / "user" / "link")
    return CaseRoots(tmp_path / "bundled", tmp_path / "user")


def test_listing_names_cases_by_identifier_and_skips_symlinks_out(roots: CaseRoots) -> None:
    assert roots.list_ids() == ["bundled/good", "root/team/mine"]


@pytest.mark.parametrize(
    "case_id",
    [
        "bundled/../user/team/mine",
        "root/team/../../outside/secret",
        "root//etc",
        "root/link",  # a symlink out of the root
        "/etc/passwd",
        "elsewhere/good",
        "bundled/",
        "bundled/go od",
    ],
)
def test_identifiers_outside_their_root_are_refused(roots: CaseRoots, case_id: str) -> None:
    with pytest.raises(InputError, match="case"):
        roots.resolve(case_id)


def test_a_good_identifier_resolves_inside_its_root(roots: CaseRoots, tmp_path: Path) -> None:
    assert roots.resolve("root/team/mine") == (tmp_path / "user" / "team" / "mine").resolve()


def test_a_folder_without_case_toml_is_not_a_case(roots: CaseRoots, tmp_path: Path) -> None:
    (tmp_path / "user" / "empty").mkdir()
    with pytest.raises(InputError, match=r"no case\.toml"):
        roots.resolve("root/empty")


@pytest.mark.parametrize(
    ("host", "loop"),
    [
        ("127.0.0.1", True),
        ("127.8.0.3", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.4", False),
        ("example.org", False),
    ],
)
def test_loopback_addresses(host: str, loop: bool) -> None:
    assert is_loopback(host) is loop


def test_tokens() -> None:
    t = new_token()
    assert len(t) >= 40 and t != new_token()
    assert token_matches(None, None)
    assert token_matches(t, t)
    assert not token_matches(t, None)
    assert not token_matches(t, t[:-1] + ("A" if t[-1] != "A" else "B"))
