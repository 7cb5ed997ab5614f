"""The backup analyzers, called directly: what they report, to which repository, and where a
restore writes."""

from __future__ import annotations

import shlex

import pytest

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.tools import Context
from interlock.parse.tools._registry import PROGRAMS
from interlock.parse.tools.backup import analyze

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN


def run(line: str, **kw: object) -> list[Operation]:
    cmd = Command(argv=tuple(shlex.split(line)), text=line, **kw)  # type: ignore[arg-type]
    return analyze(cmd, Context(shell=lambda t, c: []))


def one(line: str, **kw: object) -> Operation:
    (op,) = run(line, **kw)
    return op


def test_restic_forget_with_prune_deletes_snapshots_of_the_named_repository():
    op = one("restic -r s3:s3.amazonaws.com/bk/prod forget --prune --keep-last 1")
    assert (op.family, op.action, op.effect) == ("backup", "forget", D)
    assert op.targets[0].name == "s3:s3.amazonaws.com/bk/prod"
    assert {"prune", "retention"} <= op.tags


def test_restic_repository_comes_from_the_environment():
    op = one("restic forget --prune --keep-daily 7", env=(("RESTIC_REPOSITORY", "/srv/r"),))
    assert op.targets[0].name == "/srv/r"


def test_restic_dry_run_and_reads_are_reads():
    assert one("restic forget --keep-daily 7 --dry-run").effect is R
    for line in ("restic snapshots", "restic ls latest", "restic check", "restic stats"):
        assert one(line).effect is R, line


def test_restic_restore_over_root_is_in_place():
    op = one("restic restore latest --target /")
    assert op.effect is D and "in-place" in op.tags


def test_restic_restore_into_a_scratch_directory_is_a_local_write():
    op = one("restic restore latest --target ./restore")
    assert op.effect is W and op.targets[1].tier is Tier.LOCAL


def test_a_relative_repository_is_local_and_a_bare_name_is_not():
    assert one("restic -r ./repo snapshots").targets[0].tier is Tier.LOCAL
    assert one("pgbackrest --stanza=prod expire").targets[0].tier is Tier.UNKNOWN


def test_lock_breaking_and_key_changes_are_tagged():
    assert "lock-break" in one("restic unlock --remove-all").tags
    assert "lock-break" in one("borg break-lock /srv/borg").tags
    assert "credential" in one("borg key change-passphrase /srv/borg").tags
    assert one("restic key remove 5f2a1b").effect is D


def test_borg_delete_without_an_archive_deletes_the_whole_repository():
    assert "all" in one("borg delete /srv/borg/repo").tags
    assert "all" not in one("borg delete /srv/borg/repo::host-2024").tags


def test_kopia_full_maintenance_and_retention():
    assert one("kopia maintenance run --full").effect is D
    assert one("kopia maintenance run").effect is W
    assert "retention" in one("kopia policy set --global --keep-latest 1").tags


def test_wal_g_delete_everything_is_tagged_all():
    op = one("wal-g delete everything FORCE --confirm")
    assert op.effect is D and {"all", "force"} <= op.tags


def test_pgbackrest_restore_overwrites_only_with_delta_or_force():
    assert one("pgbackrest --stanza=main --delta restore").effect is D
    assert one("pgbackrest --stanza=main restore").effect is W


def test_bconsole_reads_its_commands_from_stdin():
    assert one("bconsole", stdin="delete volume=Vol-1 yes\n").effect is D
    assert one("bconsole", stdin="list jobs\n").effect is R
    assert one("bconsole").effect is U


def test_resticprofile_profile_names_the_repository():
    op = one("resticprofile prod.forget")
    assert op.effect is D and op.program == "resticprofile" and op.targets[0].name == "prod"


@pytest.mark.parametrize("program", PROGRAMS["backup"])
@pytest.mark.parametrize("args", [(), ("--help",), ("-h",), ("'",), ("--", "x"), ("-r",)])
def test_every_program_answers_without_raising(program, args):
    ops = analyze(Command(argv=(program, *args), text=program), Context(shell=lambda t, c: []))
    assert ops and all(o.family == "backup" for o in ops)
