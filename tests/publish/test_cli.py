"""``python -m publish``: build (the default) and migrate, and their exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.paths import warehouse_paths
from publish.cli import main
from publish.lock import BuildBusy, build_lock


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # --help
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_build_and_migrate_and_builds_options(capsys) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    assert "    build     dbt build, then publish the marts as a snapshot" in out
    assert "    migrate   bring a warehouse an earlier release wrote up to date" in out
    # bench/run.py reads the options of a full rebuild from here
    assert "--full-refresh" in out and "--target TARGET" in out
    assert "75 another build of the warehouse\nis running" in out


def test_an_unknown_command_exits_2(capsys) -> None:
    code, out, err = _run(capsys, "biuld")
    assert (code, out) == (2, "")
    assert err == (
        "error: argument COMMAND: invalid choice: 'biuld' (choose from 'build', 'migrate') "
        "(see python -m publish --help)\n"
    )


def test_a_migrate_option_given_to_build_names_its_command(capsys) -> None:
    code, _, err = _run(capsys, "migrate", "--as-of", "2025-01-01")
    assert code == 2
    assert err == "error: --as-of goes with `build`, not `migrate` (see python -m publish --help)\n"


@pytest.mark.parametrize("argv", [(), ("build",)])
def test_a_bad_as_of_exits_2_with_or_without_the_command(
    tmp_path: Path, capsys, argv: tuple[str, ...]
) -> None:
    code, out, err = _run(capsys, *argv, "--as-of", "noon", "--warehouse", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == "error: AS_OF='noon' is not a timestamp; write it as 2025-03-31T23:59:59\n"


def test_a_build_while_another_holds_the_lock_exits_75(tmp_path: Path, capsys) -> None:
    assert BuildBusy.exit_code == 75
    paths = warehouse_paths(tmp_path / "w")
    with build_lock(paths) as held:
        held.note("pid 4242")
        code, out, err = _run(capsys, "--warehouse", str(paths.root))
    assert (code, out) == (75, "")
    assert err == (
        f"error: another build of {paths.root} is running (pid 4242); wait for it to "
        "finish, or stop it, then run `make build` again\n"
    )


def test_migrate_of_a_warehouse_not_yet_written_does_nothing(tmp_path: Path, capsys) -> None:
    code, out, err = _run(capsys, "migrate", "--warehouse", str(tmp_path / "none"))
    assert (code, out, err) == (0, "", "")
    assert not (tmp_path / "none").exists()
