"""`mc admin`: the MinIO server's administration commands.

They read `mc admin GROUP [NOUN…] VERB ALIAS [ARGS]` (`mc admin config get myminio`,
`mc admin user svcacct rm myminio KEY`, `mc admin idp ldap policy attach myminio P --user U`).
The verb, not the group, says what happens, and the target is the deployment the alias names,
not the last word (`mc admin user remove prod-minio bob` acts on `prod-minio`).
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args
from interlock.parse.tools.cloud import make_op, words

D, W, R, U = Effect.DESTROY, Effect.WRITE, Effect.READ, Effect.UNKNOWN

# Groups that only look at a running deployment, whatever follows them.
_READ_GROUPS = words("info trace top logs console speedtest scanner prometheus inspect profile obd")
# Groups that act by themselves: `mc admin heal myminio`, `mc admin update myminio`.
_BARE_GROUPS = {"heal": W, "update": W}
_VERBS = {
    **dict.fromkeys(words("ls list info get status export entities history verify metrics"), R),
    **dict.fromkeys(words("generate diag"), R),
    **dict.fromkeys(words("add set reset create edit update attach detach enable disable"), W),
    **dict.fromkeys(words("import restore restart stop freeze unfreeze start cancel resync"), W),
    **dict.fromkeys(words("rotate register clear"), W),
    **dict.fromkeys(words("rm remove delete"), D),
}  # fmt: skip
# Nouns between the group and the verb (`user svcacct add`, `idp ldap policy attach`).
_NOUNS = words(
    "config user group policy service svcacct accesskey sts idp openid ldap kms key bucket "
    "remote quota tier replicate cluster iam decommission rebalance license heal update "
    "info trace top logs console speedtest scanner prometheus inspect profile obd site-replication "
    "locks api disk drive net"
)


def mc_admin_op(cmd: Command, b: Args) -> Operation:
    """`b.pos` holds the words after `admin`."""
    path, rest = _split_path(b.pos)
    group = path[0] if path else ""
    effect = _effect(path)
    alias = (rest[0] if rest else "").partition("/")[0]
    tags = {"scale-to-zero"} if path[:2] == ["service", "stop"] else set()
    if effect is not R and b.has("--dry-run"):
        effect, tags = R, {"dry-run"}
    targets = [Target.make("minio-deployment", alias, remote=alias, host=cmd.host)] if alias else []
    summary = " ".join(["mc admin", *path, f"`{alias}`" if alias else ""]).strip()
    action = f"mc-admin-{group}" if group else "mc-admin"
    return make_op(cmd, "minio", action, effect, targets, tags, summary)


def _split_path(pos: list[str]) -> tuple[list[str], list[str]]:
    """The command words, then the alias and what follows it."""
    i = 0
    while i < len(pos) and "/" not in pos[i] and (pos[i] in _NOUNS or pos[i] in _VERBS):
        i += 1
        if pos[i - 1] in _VERBS and pos[i - 1] not in _NOUNS:
            break  # the verb ends the path: `mc admin user add myminio info` (a user named info)
    return pos[:i], pos[i:]


def _effect(path: list[str]) -> Effect:
    if not path:
        return R  # `mc admin` prints its help
    if path[0] in _READ_GROUPS and not any(_VERBS.get(w) in (W, D) for w in path[1:]):
        return R
    verbs = [_VERBS[w] for w in path[1:] if w in _VERBS]
    if verbs:
        return verbs[-1]
    return _BARE_GROUPS.get(path[0], U)
