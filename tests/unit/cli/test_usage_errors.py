"""Usage errors (unknown command, unknown option, missing argument): one line, exit 2, no traceback."""

from __future__ import annotations

import pytest

from breachkit.cli.main import COMMAND_MODULES, app, main


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["attribution", "cases/soyuz-ms22"], "No such command 'attribution'"),
        (["risk", "--nonsense"], "No such option: --nonsense"),
        (["risk"], "Missing argument"),
    ],
)
def test_usage_error_is_one_line_exit_2(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert expected in err
    assert err.count("\n") == 1  # one line
    assert "Traceback" not in err


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    import typer.main

    names = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert len(names) >= len(COMMAND_MODULES)
    for name in names:
        assert main([name, "--help"]) == 0, name
        assert "Usage" in capsys.readouterr().out
