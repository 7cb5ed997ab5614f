"""Hadoop YARN's `yarn` (same program name as the Node package manager).

`yarn application -list`, `yarn logs -applicationId …`, `yarn node -list`, `yarn queue -status`
and `yarn top` read the cluster. `-kill`/`-signal`/`-movetoqueue` and the like change a running
application (a `write`); `-destroy` of a YARN service and formatting a state store are
`destroy`s; `rmadmin` refreshes and fail-overs change the ResourceManager. `yarn jar` runs code
we cannot see.
"""

from __future__ import annotations

import re

from interlock.model import Command, Effect, Operation
from interlock.parse.tools.host_common import HOST, make_op, read_op, target, unknown_op, words

# Hadoop spells options with one dash and a long name: `-list`, `-applicationId`.
_HADOOP_FLAG = re.compile(r"^-[A-Za-z][A-Za-z_-]+$")
_VERBS = words(
    "application app applicationattempt container logs node queue top classpath envvars "
    "rmadmin schedulerconf daemonlog resourcemanager nodemanager timelineserver timelinereader "
    "proxyserver router registrydns sharedcachemanager cluster jar version"
)
_BARE = words("top classpath envvars")
_APP_READ = words(
    "-list -status -help -appStates -appTypes -appTags -components -showDetails -all -states "
    "-getLevel -getlevel -lnl -list-node-labels -dnl -list-node-attributes"
)
_APP_DESTROY = words("-destroy -remove-application-from-state-store -format-state-store "
                     "-format -formatConfig -deleteFromClusterNodeLabels")  # fmt: skip
_RMADMIN_READ = words("-getGroups -getServiceState -checkHealth -getAllServiceState -help")
_DAEMONS = words(
    "resourcemanager nodemanager timelineserver timelinereader proxyserver router registrydns "
    "sharedcachemanager"
)


def is_hadoop(verb: str, rest: list[str]) -> bool:
    """Whether `yarn VERB REST…` is Hadoop's CLI rather than a Node script of that name."""
    if verb not in _VERBS:
        return False
    if verb in _BARE and not rest:
        return True
    return any(_HADOOP_FLAG.match(a) for a in rest)


def analyze(cmd: Command, verb: str, rest: list[str]) -> Operation:
    flags = {a for a in rest if a.startswith("-")}
    app = _value(rest, "-applicationId", "-appId", "-kill", "-status", "-destroy") or "cluster"
    tgt = [target(cmd, "yarn-application", app)]
    if verb == "jar":
        return unknown_op(cmd, HOST, "jar")
    if flags & _APP_DESTROY:
        return make_op(cmd, HOST, "delete", Effect.DESTROY, tgt, summary=f"yarn {verb}: deletes")
    if verb in ("logs", "top", "classpath", "envvars", "version"):
        return read_op(cmd, HOST, verb, f"yarn {verb}")
    if verb == "rmadmin":
        if flags and flags <= _RMADMIN_READ:
            return read_op(cmd, HOST, "status", "reads ResourceManager state")
        return make_op(cmd, HOST, "admin", Effect.WRITE, tgt, summary="changes the ResourceManager")
    if verb in _DAEMONS:
        return make_op(cmd, HOST, "start", Effect.WRITE, tgt, summary=f"starts yarn {verb}")
    if flags and flags <= _APP_READ | {"-applicationId", "-appId", "-queue", "-nodes", "-help"}:
        return read_op(cmd, HOST, "list", f"yarn {verb} {' '.join(rest[:2])}".strip())
    action = "kill" if "-kill" in flags else "update"
    return make_op(cmd, HOST, action, Effect.WRITE, tgt, summary=f"yarn {verb} {action} `{app}`")


def _value(rest: list[str], *names: str) -> str | None:
    for i, a in enumerate(rest[:-1]):
        if a in names and not rest[i + 1].startswith("-"):
            return rest[i + 1]
    return None
