"""Accounts and privileges: userdel, groupdel, deluser, delgroup, passwd, usermod, chage,
useradd/adduser/groupadd/addgroup/gpasswd/chpasswd, visudo.

Deleting an account is a `destroy` (with `-r` its home and mail go too: tag `recursive`).
Locking, expiring or blanking the password of an account is action `lock`/`delete-password`;
doing any of that to `root` adds the tag `root-account`. Editing sudoers is action `edit` on a
`sudoers` target.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    HOST,
    dynamic_tags,
    make_op,
    names,
    read_op,
    target,
    wants_help,
    words,
)

_USERMOD_TV = words(
    "-c --comment -d --home -e --expiredate -f --inactive -g --gid -G --groups -l --login "
    "-p --password -R --root -P --prefix -s --shell -u --uid -v --add-subuids -V "
    "--del-subuids -w --add-subgids -W --del-subgids -Z --selinux-user"
)
_USERADD_TV = _USERMOD_TV | words("-k --skel -K --key -b --base-dir")
_NOLOGIN = ("/sbin/nologin", "/usr/sbin/nologin", "/bin/false", "/usr/bin/false")
_ADMIN_GROUPS = frozenset({"root", "sudo", "wheel", "admin", "adm", "docker"})
# Joining these makes a user root; `docker` is left out: adding oneself to it is routine setup.
_GRANT_GROUPS = frozenset({"root", "sudo", "wheel", "admin"})


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    prog = cmd.program
    if wants_help(cmd.args):
        return [read_op(cmd, HOST, summary=f"shows {prog} help")]
    handler = {
        "userdel": _userdel, "deluser": _deluser, "groupdel": _groupdel, "delgroup": _groupdel,
        "passwd": _passwd, "usermod": _usermod, "chage": _chage, "visudo": _visudo,
    }.get(prog, _add)  # fmt: skip
    return [handler(cmd)]


def _user_tags(cmd: Command, who: list[str]) -> set[str]:
    tags = set(dynamic_tags(cmd))
    if "root" in who:
        tags.add("root-account")
    return tags


def _userdel(cmd: Command) -> Operation:
    a = parse_args(cmd.args, ("-R", "--root", "-P", "--prefix"), bundle=True)
    tags = _user_tags(cmd, a.pos)
    if a.has("-r", "--remove"):
        tags.add("recursive")
    if a.has("-f", "--force"):
        tags.add("force")
    tgts = [target(cmd, "user", u) for u in a.pos[:10]]
    extra = " and its home directory" if "recursive" in tags else ""
    return make_op(
        cmd, HOST, "delete", Effect.DESTROY, tgts, tags, f"deletes user {names(a.pos)}{extra}"
    )


def _deluser(cmd: Command) -> Operation:
    a = parse_args(cmd.args, ("--conf", "-c", "--backup-to"))
    if a.has("--group") or cmd.program == "delgroup":
        return _groupdel(cmd)
    if len(a.pos) >= 2:
        user, group = a.pos[0], a.pos[1]
        tags = {"admin-group"} if group in _ADMIN_GROUPS else set()
        tgts = [target(cmd, "user", user), target(cmd, "group", group)]
        return make_op(
            cmd,
            HOST,
            "remove-member",
            Effect.WRITE,
            tgts,
            tags,
            f"removes `{user}` from group `{group}`",
        )
    tags = _user_tags(cmd, a.pos)
    if a.has("--remove-home", "--remove-all-files"):
        tags.add("recursive")
    tgts = [target(cmd, "user", u) for u in a.pos[:1]]
    return make_op(
        cmd, HOST, "delete", Effect.DESTROY, tgts, tags, f"deletes user {names(a.pos[:1])}"
    )


def _groupdel(cmd: Command) -> Operation:
    a = parse_args(cmd.args, ("-R", "--root", "-P", "--prefix", "--conf", "-c"), bundle=True)
    tags = set(dynamic_tags(cmd))
    if set(a.pos) & _ADMIN_GROUPS:
        tags.add("admin-group")
    tgts = [target(cmd, "group", g) for g in a.pos[:10]]
    return make_op(cmd, HOST, "delete", Effect.DESTROY, tgts, tags, f"deletes group {names(a.pos)}")


def _passwd(cmd: Command) -> Operation:
    a = parse_args(
        cmd.args, ("-n", "-x", "-w", "-i", "-r", "--repository", "-R", "--root", "-P"), bundle=True
    )
    # `sudo passwd` with no name is root's own password
    who = a.pos[:1] or ["root" if _as_root(cmd) else "current user"]
    if a.has("-S", "--status") or (a.has("-a", "--all") and a.has("-S")):
        return read_op(cmd, HOST, "status", "shows password status")
    tags = _user_tags(cmd, who)
    tgts = [target(cmd, "user", who[0])]
    if a.has("-d", "--delete"):
        return make_op(
            cmd,
            HOST,
            "delete-password",
            Effect.WRITE,
            tgts,
            tags,
            f"removes the password of `{who[0]}`",
        )
    if a.has("-l", "--lock", "-e", "--expire"):
        return make_op(
            cmd, HOST, "lock", Effect.WRITE, tgts, tags, f"locks/expires the account `{who[0]}`"
        )
    tags = _root_password(tags)
    return make_op(
        cmd, HOST, "set-password", Effect.WRITE, tgts, tags, f"changes the password of `{who[0]}`"
    )


def _as_root(cmd: Command) -> bool:
    return any(v in ("sudo", "doas", "su", "run0", "pkexec") for v in cmd.via)


def _root_password(tags: set[str]) -> set[str]:
    """Setting root's password is not locking root out, but it is taking root over."""
    return tags - {"root-account"} | ({"root-password"} if "root-account" in tags else set())


def _usermod(cmd: Command) -> Operation:
    a = parse_args(cmd.args, _USERMOD_TV, bundle=True)
    who = a.pos[-1:] or ["?"]
    tgts = [target(cmd, "user", who[0])]
    tags = _user_tags(cmd, who)
    expire = a.value("-e", "--expiredate")
    shell = a.value("-s", "--shell")
    # a password hash of `!`/`*` matches no password: the account is locked
    unusable = (a.value("-p", "--password") or "x").strip("'\"")[:1] in ("!", "*")
    if a.has("-L", "--lock") or expire in ("0", "1") or (shell or "") in _NOLOGIN or unusable:
        return make_op(cmd, HOST, "lock", Effect.WRITE, tgts, tags, f"locks the account `{who[0]}`")
    tags = _root_password(tags) if a.has("-p", "--password") else tags - {"root-account"}
    groups = {g for v in a.values("-G", "--groups") for g in v.split(",")}
    if groups and not a.has("-a", "--append"):
        tags.add("replace-groups")
    elif groups & _GRANT_GROUPS:
        tags.add("admin-group")
    return make_op(cmd, HOST, "modify", Effect.WRITE, tgts, tags, f"modifies user `{who[0]}`")


def _chage(cmd: Command) -> Operation:
    a = parse_args(
        cmd.args, ("-d", "-E", "-I", "-m", "-M", "-W", "-R", "--root", "--expiredate"), bundle=True
    )
    who = a.pos[-1:] or ["?"]
    if a.has("-l", "--list"):
        return read_op(cmd, HOST, "status", f"shows password ageing of `{who[0]}`")
    tgts = [target(cmd, "user", who[0])]
    tags = _user_tags(cmd, who)
    if a.value("-E", "--expiredate") in ("0", "1"):
        return make_op(
            cmd, HOST, "lock", Effect.WRITE, tgts, tags, f"expires the account `{who[0]}`"
        )
    tags.discard("root-account")
    return make_op(
        cmd, HOST, "modify", Effect.WRITE, tgts, tags, f"changes password ageing of `{who[0]}`"
    )


def _visudo(cmd: Command) -> Operation:
    a = parse_args(cmd.args, ("-f", "--file"), bundle=True)
    path = a.value("-f", "--file") or "/etc/sudoers"
    if a.has("-c", "--check", "-V"):
        return read_op(cmd, HOST, "check", f"checks `{path}`")
    return make_op(
        cmd, HOST, "edit", Effect.WRITE, [target(cmd, "sudoers", path)], summary=f"edits `{path}`"
    )


def _chpasswd(cmd: Command) -> Operation:
    """`user:password` lines on stdin (unknown when piped from another command)."""
    users = [ln.split(":", 1)[0].strip() for ln in (cmd.stdin or "").splitlines() if ":" in ln]
    tags = {"root-password"} if "root" in users else set(dynamic_tags(cmd))
    tgts = [target(cmd, "user", u) for u in users[:10]]
    return make_op(cmd, HOST, "set-password", Effect.WRITE, tgts, tags,
                   f"sets the password of {names(users) or 'users read from stdin'}")  # fmt: skip


def _grants_root(a: Args) -> bool:
    """`useradd -o -u 0 x` is a second root; `-g 0`, `-G sudo` make an administrator."""
    groups = {g for v in a.values("-G", "--groups") for g in v.split(",")}
    groups |= set(a.values("-g", "--gid"))
    return a.value("-u", "--uid") == "0" or bool(groups & (_GRANT_GROUPS | {"0"}))


def _add(cmd: Command) -> Operation:
    """useradd, adduser, groupadd, addgroup, gpasswd, chpasswd, newusers."""
    if cmd.program == "chpasswd" and not wants_help(cmd.args):
        return _chpasswd(cmd)
    pos = [x for x in cmd.args if not x.startswith("-")]
    kind = "group" if "group" in cmd.program or cmd.program == "gpasswd" else "user"
    tgts = [target(cmd, kind, pos[-1])] if pos else []
    tags = set()
    if cmd.program in ("gpasswd", "adduser", "addgroup") and set(pos[1:]) & _GRANT_GROUPS:
        tags.add("admin-group")
    if cmd.program == "useradd":
        a = parse_args(cmd.args, _USERADD_TV, bundle=True)
        pos, tgts = a.pos, [target(cmd, kind, u) for u in a.pos[-1:]]
        if _grants_root(a):
            tags.add("admin-group")
    return make_op(cmd, HOST, "modify", Effect.WRITE, tgts, tags, f"{cmd.program} {names(pos)}")
