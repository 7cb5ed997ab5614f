"""The AWS execution twin: run a proposed `aws …` command against moto and diff the inventory.

    simulate_aws(snapshot, command, region) -> TwinResult(changes, stdout, stderr, exit_code, digest)

1. start a moto server on 127.0.0.1 (`twin_aws_run.MotoServer`), reset;
2. seed it from the snapshot's `aws:` resources (`twin_aws_seed.seed`): names are kept, EC2
   ids and ARNs are new and mapped;
3. collect the twin's inventory (`collect_aws.collect`), the *before*;
4. run each command: the real AWS CLI v1, the snapshot's ids and ARNs in its arguments
   replaced by the twin's, dummy credentials, no config, `--endpoint-url` the twin
   (`twin_aws_run.run_cli`); or boto3 code (`AwsTwin.run_boto3(fn)`, `fn(make)` with a client
   factory bound to the twin); collect again after each;
5. diff: a resource of the before missing at the end is `delete`d, one missing in between but
   back at the end `replace`d, one whose value changed `update`d, a new one `create`d. Twin
   ids are mapped back to the snapshot's (by id, by EC2 id or ARN, by stack and logical id);
   resources moto made on its own (default VPCs) are ignored unless a command touches them.

Commands run in order and stop at the first that fails. A string here is split like `shlex`,
not read as shell: for a proposal (`sudo aws …`, `aws … && aws …`, `AWS_REGION=… aws …`) use
`twin_aws_calls.simulate_proposal`, which runs its analyzed `aws` operations. The result's digest
`awt1:sha256:<hex>` is over canonical JSON of `{"v": 1, "snapshot", "region", "commands",
"exit_code", "changes": [[resource, effect]…], "unseeded"}` (not the output, which carries
request ids). Errors: `impact.twin_endpoint`, `impact.twin_command`, `impact.twin_timeout`,
`impact.twin_busy`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from interlock.impact.blast import Change
from interlock.impact.collect_aws import client_factory, collect
from interlock.impact.model import Resource, Snapshot
from interlock.impact.twin_aws_run import (
    MotoServer,
    TwinError,
    aws_args,
    check_endpoint,
    run_cli,
)
from interlock.impact.twin_aws_seed import seed
from interlock.model.digest import canonical_json

VERSION = "awt1"
TWIN_ACCOUNT = "123456789012"  # moto's account
_NOW = "1970-01-01T00:00:00+00:00"  # twin inventories are compared, never stored
_ARN_ACCOUNT = re.compile(r"^(arn:aws[\w-]*:[\w-]*:[\w-]*:)(\d{12})(:)")

Command = str | Sequence[str]


@dataclass(frozen=True, slots=True)
class TwinResult:
    changes: tuple[Change, ...]
    stdout: str
    stderr: str
    exit_code: int
    digest: str
    unseeded: tuple[str, ...] = ()  # snapshot resources the twin could not hold

    def ids(self, effect: str) -> tuple[str, ...]:
        return tuple(c.resource for c in self.changes if c.effect == effect)


def simulate_aws(
    snapshot: Snapshot,
    command: Command | Sequence[Command],
    region: str = "us-east-1",
    *,
    timeout: float = 60.0,
) -> TwinResult:
    """Run one `aws …` command (a string or argv), or a list of them, on a seeded twin."""
    with AwsTwin(snapshot, region, timeout=timeout) as twin:
        return twin.run(command)


class AwsTwin:
    """A moto server seeded from a snapshot. `endpoint_url` reuses a running local server."""

    def __init__(
        self,
        snapshot: Snapshot,
        region: str = "us-east-1",
        *,
        endpoint_url: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.snapshot, self.region, self.timeout = snapshot, region, timeout
        self.home = _home_region(snapshot, region)
        self._server = None if endpoint_url else MotoServer()
        self.url = check_endpoint(endpoint_url) if endpoint_url else ""
        self.tokens: dict[str, str] = {}
        self.unseeded: tuple[str, ...] = ()
        self._to_snapshot: dict[str, str] = {}
        self._before: Snapshot | None = None

    def __enter__(self) -> AwsTwin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> AwsTwin:
        if self._server is not None:
            self.url = self._server.start()
        try:
            seeded = seed(self.snapshot, self.factory(), self.home)
            self.tokens = _with_accounts(seeded.tokens, self.snapshot)
            self.unseeded = tuple(seeded.unseeded)
            self._before = self.inventory()
            self._to_snapshot = _id_map(self._before, self.snapshot, self.tokens)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()

    def factory(self) -> Callable[[str, str], Any]:
        check_endpoint(self.url)
        import boto3

        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        return client_factory(session, endpoint_url=self.url)

    def inventory(self, extra: Sequence[str] = ()) -> Snapshot:
        regions = [self.home, *sorted(_regions(self.snapshot) | {self.region, *extra})]
        return collect(self.factory(), list(dict.fromkeys(regions)), _NOW)

    def run(self, command: Command | Sequence[Command]) -> TwinResult:
        """Run the command(s) in order, stopping at the first failure; diff against before."""
        commands = _commands(command)
        argvs = [aws_args(c) for c in commands]  # refuse before running any
        extra = {r for a in argvs for r in _region_flags(a)}
        states, outs, errs, code = [self._require_before()], [], [], 0
        for args in argvs:
            done = run_cli(self._rewrite(args), self.url, self.region, self.timeout)
            outs.append(done.stdout)
            errs.append(done.stderr)
            code = done.exit_code
            states.append(self.inventory(sorted(extra)))
            if code != 0:
                break
        return self._result(states, "".join(outs), "".join(errs), code, argvs)

    def run_boto3(self, fn: Callable[[Callable[[str, str], Any]], object]) -> TwinResult:
        """Run `fn(make)` with a client factory bound to the twin; an exception is exit 1."""
        stderr, code = "", 0
        try:
            fn(self.factory())
        except Exception as exc:  # the code under test failing is a result, not our error
            stderr, code = f"{exc.__class__.__name__}: {exc}", 1
        states = [self._require_before(), self.inventory()]
        return self._result(states, "", stderr, code, [["<boto3>"]])

    def _require_before(self) -> Snapshot:
        if self._before is None:
            raise TwinError("aws twin: not started; use `with AwsTwin(…) as twin`", "impact.twin")
        return self._before

    def _rewrite(self, args: Sequence[str]) -> list[str]:
        return [_replace_tokens(a, self.tokens) for a in args]

    def _result(
        self, states: list[Snapshot], out: str, err: str, code: int, argvs: Sequence[Sequence[str]]
    ) -> TwinResult:
        changes = tuple(self._map(c) for c in diff(states, set(self._to_snapshot)))
        body = {
            "v": 1,
            "snapshot": self.snapshot.digest,
            "region": self.region,
            "commands": [list(a) for a in argvs],
            "exit_code": code,
            "changes": [[c.resource, c.effect] for c in changes],
            "unseeded": list(self.unseeded),
        }
        digest = f"{VERSION}:sha256:{hashlib.sha256(canonical_json(body)).hexdigest()}"
        return TwinResult(changes, out, err, code, digest, self.unseeded)

    def _map(self, change: Change) -> Change:
        return Change(self._to_snapshot.get(change.resource, change.resource), change.effect)


def diff(states: Sequence[Snapshot], known: set[str]) -> list[Change]:
    """Changes from `states[0]` to `states[-1]`; `known` ids (from the snapshot) are reported
    when deleted/replaced/updated, any id absent at first and present at the end as created."""
    first, last = states[0].by_id(), states[-1].by_id()
    between = [s.by_id() for s in states[1:-1]]
    out = []
    for rid in sorted(first.keys() | last.keys()):
        effect = _effect(rid, first, last, between)
        if effect and (effect == "create" or rid in known):
            out.append(Change(rid, effect))
    return out


def _effect(
    rid: str, first: dict[str, Resource], last: dict[str, Resource], between: list[dict[str, Any]]
) -> str:
    if rid not in first:
        return "create" if rid in last else ""
    if rid not in last:
        return "delete"
    if any(rid not in s for s in between):
        return "replace"
    return "update" if first[rid] != last[rid] else ""


def _commands(command: Command | Sequence[Command]) -> list[Command]:
    """One string, one argv (a list whose first word has no space), or a list of either."""
    if isinstance(command, str):
        return [command]
    items = list(command)
    if items and isinstance(items[0], str) and not items[0].strip().count(" "):
        return [[str(w) for w in items]]
    return [c if isinstance(c, str) else [str(w) for w in c] for c in items]


def _region_flags(args: Sequence[str]) -> list[str]:
    out = []
    for i, word in enumerate(args):
        if word == "--region" and i + 1 < len(args):
            out.append(args[i + 1])
        elif word.startswith("--region="):
            out.append(word.split("=", 1)[1])
    return out


def _regions(snap: Snapshot) -> set[str]:
    return {r.attr("region") for r in _aws(snap) if r.attr("region") not in ("", "global")}


def _aws(snap: Snapshot) -> list[Resource]:
    return [r for r in snap.resources if r.id.startswith("aws:")]


def _home_region(snap: Snapshot, default: str) -> str:
    """The collector's first region: the one whose resources have no `@region` suffix."""
    plain = Counter(
        r.attr("region") for r in _aws(snap) if "@" not in r.id and r.attr("region") != "global"
    )
    plain.pop("", None)
    return plain.most_common(1)[0][0] if plain else default


def _with_accounts(tokens: dict[str, str], snap: Snapshot) -> dict[str, str]:
    """Also map each account id the snapshot's ARNs name to moto's, for ARNs in commands."""
    out = dict(tokens)
    for r in _aws(snap):
        if m := _ARN_ACCOUNT.match(r.attr("arn")):
            out.setdefault(f":{m.group(2)}:", f":{TWIN_ACCOUNT}:")
    return out


def _replace_tokens(word: str, tokens: dict[str, str]) -> str:
    for old in sorted(tokens, key=len, reverse=True):
        new = tokens[old]
        if not old or old == new or old not in word:
            continue
        if old.startswith(":"):  # an account inside an ARN
            word = word.replace(old, new) if "arn:" in word else word
        else:
            word = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, word)
    return word


def _id_map(before: Snapshot, snap: Snapshot, tokens: dict[str, str]) -> dict[str, str]:
    """Twin resource id → snapshot resource id, for the twin resources that stand for one."""
    ids = {r.id for r in snap.resources}
    back = {new: old for old, new in tokens.items() if not old.startswith(":")}
    logical = {
        (r.attr("stack"), r.attr("logical_id")): r.id for r in snap.resources if r.attr("stack")
    }
    out = {}
    for r in before.resources:
        head, _, key = r.id.rpartition(":")
        key, at, region = key.partition("@")
        guess = f"{head}:{back.get(key, key)}{at}{region}"
        if guess in ids:
            out[r.id] = guess
        elif (found := logical.get((r.attr("stack"), r.attr("logical_id")))) is not None:
            out[r.id] = found
    return out
