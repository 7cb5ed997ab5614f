"""Object-storage commands: `aws s3` (the high-level commands), s3cmd, s5cmd, rclone, mc
(the MinIO client; bare `mc` is Midnight Commander) and swift.

They share one shape: a subcommand from a small table, a source and a destination URL, and a
few flags that turn a copy into a deletion (`sync --delete`, `--delete-removed`, `mirror
--remove`) or widen a deletion (`--recursive`, `--force`, `--versions`, wildcards).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args, parse_args
from interlock.parse.tools.cloud import (
    family_of,
    is_local_url,
    local_tier,
    make_op,
    path_target,
    verb_effect,
    words,
)
from interlock.parse.tools.cloud_aws import target, where

if TYPE_CHECKING:
    from interlock.parse.tools.cloud_aws import Call

D, W, R, U = Effect.DESTROY, Effect.WRITE, Effect.READ, Effect.UNKNOWN

# --- aws s3 (the high-level commands) ----------------------------------------------------------

_S3_EFFECT = {
    "ls": Effect.READ, "presign": Effect.READ, "cp": Effect.WRITE, "mv": Effect.WRITE,
    "mb": Effect.WRITE, "website": Effect.WRITE, "sync": Effect.WRITE, "rm": Effect.DESTROY,
    "rb": Effect.DESTROY,
}  # fmt: skip


def aws_s3_op(cmd: Command, call: Call, scope: dict) -> Operation:
    sub, pos = call.op, call.pos
    effect = _S3_EFFECT.get(sub, Effect.UNKNOWN)
    tags = _s3_tags(call)
    if sub == "sync" and call.has("--delete"):
        effect = Effect.DESTROY
    dest = pos[-1] if pos else ""
    if sub == "cp" and dest == "-" and len(pos) > 1:  # `aws s3 cp s3://b/k -` prints the object
        effect, dest = Effect.READ, pos[0]
    tgt = _s3_target(cmd, sub, dest, "recursive" in tags, scope)
    if effect is not Effect.READ and call.has("--dryrun"):
        effect, tags = Effect.READ, tags | {"dry-run"}
    if dest and not dest.startswith("s3://") and tgt.kind == "bucket":
        tags.add("dynamic-target")
    if sub == "rm" and tgt.kind in ("bucket", "prefix") and "recursive" in tags:
        tags.add("all" if tgt.kind == "bucket" else "recursive")
    loc = where(scope)
    summary = f"aws s3 {sub} `{tgt.name}`" + (f" ({loc})" if loc else "")
    return make_op(cmd, "aws", f"s3-{sub}", effect, [tgt], tags, summary)


def _s3_tags(call: Call) -> set[str]:
    tags = set()
    if call.has("--recursive"):
        tags.add("recursive")
    if call.op == "rb" and call.has("--force"):
        tags |= {"force", "recursive", "all"}
    if call.has("--exclude") or call.has("--include"):
        tags.add("wildcard")
    if any(a in ("public-read", "public-read-write") for a in call.params.get("--acl", [])):
        tags |= {"security", "public"}
    return tags


def _s3_target(cmd: Command, sub: str, url: str, recursive: bool, scope: dict) -> Target:
    if not url.startswith("s3://"):
        if sub == "ls" and not url:
            return target(cmd, "bucket", "*", scope)
        if url and sub in ("cp", "mv", "sync") and "://" not in url:
            return path_target(cmd, url)
        return target(cmd, "bucket", url or "?", scope)  # an S3 name we could not read
    bucket, _, key = url[5:].partition("/")
    if sub in ("mb", "rb") or not key:
        kind = "bucket"
    else:
        kind = "prefix" if recursive or key.endswith("/") else "object"
    return target(cmd, kind, f"{bucket}/{key}" if key else bucket, scope)


# --- object-storage tools: s3cmd, s5cmd, rclone, mc, swift -----------------------------------

_S3CMD = {
    **dict.fromkeys(words("ls la info du get signurl ws-info multipart accesslog cflist"), R),
    **dict.fromkeys(words("put cp mv mb sync modify restore expire setlifecycle setcors"), W),
    **dict.fromkeys(words("setacl setpolicy delpolicy dellifecycle delcors abortmp"), W),
    **dict.fromkeys(words("del rm rb ws-delete cfremove"), D),
}  # fmt: skip
_S5CMD = {
    **dict.fromkeys(words("ls cat du head select presign version"), R),
    **dict.fromkeys(words("cp mv mb pipe sync bucket-version"), W),
    **dict.fromkeys(words("rm rb"), D),
    "run": U,
}  # fmt: skip
_RCLONE = {
    **dict.fromkeys(words(
        "ls lsd lsl lsf lsjson cat size check md5sum sha1sum hashsum about version tree ncdu "
        "listremotes cryptcheck checksum help authorize obscure gendocs test"), R),
    **dict.fromkeys(words(
        "copy copyto move moveto mkdir touch rcat copyurl settier link bisync mount serve "
        "rmdir rmdirs backend rc config"), W),
    **dict.fromkeys(words("sync delete purge deletefile cleanup dedupe"), D),
}  # fmt: skip
_MC = {
    **dict.fromkeys(words("ls cat head stat du find diff tree ping ready version sql share"), R),
    **dict.fromkeys(words(
        "cp mv mb mirror pipe tag retention legalhold ilm encrypt event replicate anonymous "
        "alias undo cors quota od put get idp license support batch version"), W),
    **dict.fromkeys(words("rm rb"), D),
    "admin": U,
}  # fmt: skip
_SWIFT = {
    **dict.fromkeys(words("list stat capabilities info auth download"), R),
    **dict.fromkeys(words("upload post copy tempurl"), W),
    "delete": D,
}  # fmt: skip
_RCLONE_CONFIG_READ = words("show file dump providers paths redacted")
_STORAGE = {"s3cmd": _S3CMD, "s5cmd": _S5CMD, "rclone": _RCLONE, "mc": _MC, "swift": _SWIFT}
_STORAGE_VALUES = words(
    "-c --config --host --host-bucket --access_key --secret_key --region --endpoint-url "
    "--profile --credentials-file --numworkers --retry-count --log --exclude --include "
    "--filter --transfers --checkers --max-age --min-age --log-file --log-level --bwlimit "
    "--backup-dir --max-delete --order-by --storage-class --acl-grant --os-auth-url "
    "--os-username --os-password --os-project-name -A -U -K --concurrency --dedupe-mode "
    "--min-size --max-size --max-depth --files-from --exclude-from --include-from --filter-from "
    "--max-transfer --expire-days --expiry-days"
)


def storage_op(cmd: Command) -> Operation:
    a = parse_args(cmd.args, _STORAGE_VALUES, stop_at_first_positional=True)
    table = _STORAGE[cmd.program]
    family = family_of(cmd.program)
    if not a.pos:
        effect = U if cmd.program == "mc" else R  # bare `mc` is Midnight Commander
        return make_op(cmd, family, "help", effect, summary=f"{cmd.program}")
    sub = a.pos[0]
    b = parse_args(a.pos[1:], _STORAGE_VALUES, bundle=cmd.program in ("s3cmd", "rclone"))
    effect = table.get(sub)
    if (cmd.program, sub) == ("rclone", "config"):
        effect = R if b.pos[:1] and b.pos[0] in _RCLONE_CONFIG_READ else W
    if effect is None:
        return make_op(cmd, family, sub, U, summary=f"{cmd.program} {sub}: not a known command")
    if sub == "admin":
        from interlock.parse.tools.cloud_minio import mc_admin_op

        return mc_admin_op(cmd, b)
    if cmd.program == "mc" and effect is W and b.pos:  # `mc ilm rule ls`, `mc alias list`
        effect = next((e for w in b.pos[:2] if (e := verb_effect(w)) is not None), W)
    effect, tags = _storage_effect(cmd.program, sub, a, b, effect)
    dest = _dest(cmd.program, sub, b.pos)
    local = is_local_url(a.value("--host", "--endpoint-url"))
    tgt = _storage_target(cmd, dest, a.value("--profile", "-c", "--config"), local)
    if effect is D and tgt.kind == "bucket" and tags & {"recursive", "force"}:
        tags.add("all")
    if "*" in dest:
        tags.add("wildcard")
    return make_op(cmd, family, f"{cmd.program}-{sub}", effect, [tgt], tags,
                   f"{cmd.program} {sub} `{tgt.name}`")  # fmt: skip


def _storage_effect(
    program: str, sub: str, a: Args, b: Args, effect: Effect
) -> tuple[Effect, set[str]]:
    tags: set[str] = set()
    if b.has("--recursive", "-r", "-R") or sub == "purge" or (program, sub) == ("rclone", "delete"):
        tags.add("recursive")
    if b.has("--force", "-f"):
        tags.add("force")
    if (
        b.has("--versions", "--all-versions")
        or sub == "purge"
        or (sub == "delete" and b.has("--all", "-a"))
    ):
        tags.add("all")
    deletes = ("--delete-removed", "--delete", "--remove", "--delete-after", "--delete-destination")
    if sub in ("sync", "mirror") and b.has(*deletes):
        effect = D
    tags |= _safety_net_tags(sub, b)
    if sub in ("setacl", "setpolicy", "anonymous", "delpolicy"):
        tags.add("security")
        if b.has("--acl-public") or "public" in b.pos or "download" in b.pos:
            tags.add("public")
    dry = ("--dry-run", "-n", "--dryrun")
    if (a.has(*dry) or b.has(*dry)) and effect is not R:
        return R, {"dry-run"}
    return effect, tags


# (subcommand, word after it) that switch a safety net off or can expire a whole bucket.
_SAFETY_NET = {
    ("version", "suspend"): "protection-off", ("retention", "clear"): "protection-off",
    ("ilm", "rule"): "lifecycle", ("ilm", "import"): "lifecycle", ("ilm", "add"): "lifecycle",
    ("expire", ""): "lifecycle", ("setlifecycle", ""): "lifecycle",
}  # fmt: skip


def _safety_net_tags(sub: str, b: Args) -> set[str]:
    """`mc version suspend`, `mc retention clear`, `mc ilm rule add`, `s3cmd expire`."""
    tag = _SAFETY_NET.get((sub, b.pos[0] if b.pos else "")) or _SAFETY_NET.get((sub, ""))
    return {tag} if tag else set()


_RCLONE_TWO = words("sync copy move bisync copyto moveto check cryptcheck")


def _dest(program: str, sub: str, pos: list[str]) -> str:
    if program == "rclone" and pos:
        # Positionals after the paths are values of flags we do not know; read by position.
        if sub in _RCLONE_TWO:
            return pos[1] if len(pos) > 1 else pos[0]
        remotes = [p for p in pos if ":" in p]
        return remotes[0] if remotes else pos[0]
    if program == "swift" and pos:
        return "/".join(pos[:2])
    return pos[-1] if pos else ""


def _storage_target(cmd: Command, url: str, profile: str | None, local: bool) -> Target:
    tier = local_tier(cmd, local)
    if "://" in url:
        bucket, _, key = url.split("://", 1)[1].partition("/")
        kind = "bucket" if not key.strip("*/") else "object"
        return Target.make(
            kind, f"{bucket}/{key}".rstrip("/"), tier=tier, profile=profile, host=cmd.host
        )
    if cmd.program == "rclone" and ":" in url and not url.startswith(("/", ".")):
        remote = url.partition(":")[0]
        return Target.make("remote-path", url, remote=remote, host=cmd.host)
    if cmd.program in ("mc", "swift") and url and not url.startswith(("/", ".", "~")):
        alias, _, rest = url.partition("/")
        if cmd.program == "mc":  # alias/bucket/key
            rest = rest.partition("/")[2]
        kind = "bucket" if not rest.strip("*/") else "object"
        remote = alias if cmd.program == "mc" else None
        return Target.make(kind, url.rstrip("/"), tier=tier, remote=remote, host=cmd.host)
    return path_target(cmd, url) if url else Target.make("bucket", "?", tier=tier)
