"""Google Cloud: `gcloud` and `gsutil` (`bq` is `cloud_bq`).

gcloud commands are `gcloud [track] GROUP [SUBGROUP …] VERB [NAME …] [--flags]`; the verb is
the first word after the top-level group that the verb lexicon knows. `gsutil` has a flat
command table.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.cloud import (
    CRUD,
    local_tier,
    make_op,
    path_target,
    sql_effect,
    verb_effect,
    words,
)

_GCLOUD_VALUE = words(
    "--project --account --configuration --zone --region --format --verbosity --location "
    "--impersonate-service-account --billing-project --flags-file --trace-token --filter "
    "--limit --page-size --sort-by --cluster --instance --keyring --key --member --role "
    "--database --image --num-nodes --size --command --service --topic --bucket "
    "--delete-disks --keep-disks --node-pool --platform --source --runtime --trigger-http "
    "--memory --tier --condition --worker --target --type --description --labels --sql "
    "--source-ranges --metadata --retained-backups-count --soft-delete-duration "
    "--authorized-networks --lifecycle-file --restore-instance --to-target --substitutions"
)
_TRACKS = words("alpha beta preview")
_NOT_VERBS = words("logs log config")
_DATA_GROUPS = words("sql spanner bigtable firestore redis alloydb memcache datastore filestore")
_ENV_ROOT = (
    ("projects", "delete"),
    ("clusters", "delete"),
    ("deployments", "delete"),
    ("environments", "delete"),
    ("networks", "delete"),
    ("folders", "delete"),
)
_READ_ALWAYS = words(
    "get-credentials get-value print-access-token print-identity-token decrypt encrypt "
    "asymmetric-sign asymmetric-decrypt mac-sign mac-verify sign-url"
)
_GVERBS = _READ_ALWAYS | words("pull seek call")
# Flags that switch a safety net off (backups, deletion protection, versioning, soft delete).
_PROTECTION_OFF = words(
    "--no-backup --no-deletion-protection --no-enable-point-in-time-recovery --no-versioning "
    "--clear-soft-delete --clear-retention-period --no-enable-bin-log"
)


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if cmd.program == "gsutil":
        return [_gsutil(cmd)]
    return _gcloud(cmd, ctx)


# --- gcloud ------------------------------------------------------------------------------------


def _gcloud(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, _GCLOUD_VALUE)
    pos = [w for w in a.pos if w not in _TRACKS] if a.pos[:1] and a.pos[0] in _TRACKS else a.pos
    vi = _verb_index(pos)
    scope = _gscope(cmd, a)
    if vi is None:
        effect = Effect.READ if not pos or pos[0] in ("help", "info", "version") else None
        if effect is None:
            effect = verb_effect(pos[0]) if len(pos) == 1 else Effect.UNKNOWN
        if len(pos) > 1 and pos[1] in ("log", "logs"):  # `gcloud builds log ID`
            effect = Effect.READ
        if pos and pos[0] == "init":
            effect = Effect.WRITE
        action = pos[0] if pos else "help"
        summary = f"gcloud {' '.join(pos)}".strip()
        tgts = [_gtarget(cmd, pos[0], "", scope)] if len(pos) > 1 else []
        return [make_op(cmd, "gcp", action, effect or Effect.UNKNOWN, tgts, summary=summary)]
    path, verb, names = pos[:vi], pos[vi], pos[vi + 1 :]
    if path[0] in ("config", "auth", "components"):
        return [_local(cmd, path, verb)]
    if path == ["compute"] and verb == "ssh" and not a.has("--dry-run"):
        return _ssh(cmd, ctx, a, names, scope)
    if path[0] == "storage" and verb == "cp" and names[-1:] == ["-"]:  # prints the object
        names, verb = names[:1], "cat"
    effect, tags = _gclassify(cmd, a, path, verb)
    kind = _kind(path, names)
    if path[0] == "projects" and names:
        scope = {**scope, "project": names[0]}
    name = a.value("--restore-instance") or (names[0] if names else (a.value("--name") or ""))
    tgt = _gtarget(cmd, kind, name, scope)
    summary = f"gcloud {' '.join(path)} {verb} {f'`{name}`' if name else ''}".rstrip()
    if scope.get("project"):
        summary += f" (project {scope['project']})"
    return [make_op(cmd, "gcp", verb, effect, [tgt], tags, summary)]


def _verb_index(pos: list[str]) -> int | None:
    for i, w in enumerate(pos[1:], start=1):
        if w in _NOT_VERBS or not _is_verb(w):
            continue
        if "-" in w and _is_group(w, pos[i + 1 : i + 4]):
            continue
        return i
    return None


def _is_verb(w: str) -> bool:
    return w in _GVERBS or verb_effect(w) is not None


def _is_group(w: str, rest: list[str]) -> bool:
    """A hyphenated group the lexicon misreads as a verb, told by a verb after it:
    `compute os-login ssh-keys list` (gcloud verbs start with a verb), `kms import-jobs list`."""
    if verb_effect(w.split("-", 1)[0]) is None:
        return any(_is_verb(x) for x in rest)
    return w.endswith("s") and rest[:1] != [] and rest[0] in CRUD


def _gscope(cmd: Command, a: Args) -> dict[str, str | None]:
    return {
        "project": a.value("--project") or cmd.getenv("CLOUDSDK_CORE_PROJECT"),
        "account": a.value("--account") or cmd.getenv("CLOUDSDK_CORE_ACCOUNT"),
        "context": a.value("--configuration") or cmd.getenv("CLOUDSDK_ACTIVE_CONFIG_NAME"),
        "region": a.value("--region", "--zone", "--location"),
        "cluster": a.value("--cluster"),
        "env": a.value("--to-target") or _substitution_env(a),  # `deploy … --to-target prod`
        "host": cmd.host,
    }


def _substitution_env(a: Args) -> str | None:
    """`gcloud builds submit --substitutions=_ENV=prod,_REGION=eu`: a build's environment."""
    from interlock.parse.tools.generic_ci import param_env

    subs = ",".join(a.values("--substitutions")).split(",")
    return param_env(["", *(s.lstrip("_") for s in subs)])


def _gtarget(cmd: Command, kind: str, name: str, scope: dict[str, str | None]) -> Target:
    return Target.make(kind, name, **scope)


def _gclassify(cmd: Command, a: Args, path: list[str], verb: str) -> tuple[Effect, set[str]]:
    effect = Effect.READ if verb in _READ_ALWAYS else verb_effect(verb) or Effect.UNKNOWN
    tags: set[str] = set()
    if verb == "rsync":
        effect = Effect.DESTROY if a.has("--delete-unmatched-destination-objects") else Effect.WRITE
    if "kms" in path and verb in ("destroy", "disable"):
        effect = Effect.DESTROY
        tags.add("crypto-key")
    if verb == "restore-backup" or (path[-1] == "backups" and verb == "restore"):
        effect = Effect.DESTROY  # overwrites the instance it restores into
        tags.add("database")
    effect, tags = _gspecial(a, path, verb, effect, tags)
    if a.has("--dry-run") and effect is not Effect.READ:
        return Effect.READ, {"dry-run"}
    if effect is Effect.READ:
        return effect, tags
    tags |= _gtags(a, path, verb, effect)
    return effect, tags


def _gspecial(
    a: Args, path: list[str], verb: str, effect: Effect, tags: set[str]
) -> tuple[Effect, set[str]]:
    """Subcommands whose effect their verb does not tell."""
    if verb == "pull":  # reads messages; `--auto-ack` consumes them
        return (Effect.WRITE if a.has("--auto-ack") else Effect.READ), tags
    if verb in ("seek", "call"):  # `functions call` invokes the function like a request
        return Effect.WRITE, tags
    if path[0] == "services" and verb == "disable":  # can delete the service's resources
        return Effect.DESTROY, tags
    if path[0] == "billing" and verb in ("unlink", "disable"):  # stops every paid resource
        return Effect.DESTROY, tags | {"env-root"}
    sql = a.value("--sql")
    if sql and "execute-sql" in verb:
        sql_eff, sql_tags = sql_effect(sql, "spanner" if path[0] == "spanner" else None)
        return sql_eff, tags | set(sql_tags)
    return effect, tags


def _gtags(a: Args, path: list[str], verb: str, effect: Effect) -> set[str]:
    tags: set[str] = set()
    if a.has("--quiet", "-q"):
        tags.add("auto-approve")
    if a.has("--recursive", "-r", "-R"):
        tags.add("recursive")
    if effect is Effect.DESTROY:
        if (path[-1], verb) in _ENV_ROOT or (path[-1] == "clusters" and path[0] == "container"):
            tags.add("env-root")
        if path[0] in _DATA_GROUPS and path[-1] not in ("users", "operations"):
            tags.add("database")
        if any("backup" in p or "snapshot" in p for p in path) and verb != "restore":
            tags.add("backup")
        if path[0] == "storage" and "recursive" in tags:
            tags.add("all")
        if path[0] == "storage" and any("*" in p for p in a.pos):
            tags |= (
                {"wildcard", "all"}
                if any(p.endswith(("/**", "/*")) for p in a.pos)
                else {"wildcard"}
            )
    if "iam" in path or "iam-policy" in verb or path[0] == "organizations":
        tags |= {"iam", "security"}
    member = " ".join(a.values("--member")).lower()
    if "allusers" in member or "allauthenticatedusers" in member:
        tags |= {"security", "public"}
    if a.value("--num-nodes", "--size") == "0" and verb == "resize":
        tags.add("scale-to-zero")
    return tags | _gsafety(a, path, effect)


def _gsafety(a: Args, path: list[str], effect: Effect) -> set[str]:
    tags: set[str] = set()
    if any(a.has(f) for f in _PROTECTION_OFF) or a.value("--retained-backups-count") == "0":
        tags.add("protection-off")
    if a.has("--lifecycle-file"):
        tags.add("lifecycle")
    if any(p.startswith(("firewall", "security-polic")) for p in path):
        tags.add("security")
    nets = " ".join(a.values("--source-ranges", "--authorized-networks"))
    if "0.0.0.0/0" in nets or "::/0" in nets:
        tags |= {"security", "public"}
    meta = " ".join(a.values("--metadata", "--metadata-from-file"))
    if "startup-script" in meta or "shutdown-script" in meta:
        tags.add("remote-code")  # runs as root on the next boot
    if path[0] == "logging" and ("sinks" in path or effect is Effect.DESTROY):
        tags.add("audit")
    return tags


def _kind(path: list[str], names: list[str]) -> str:
    if path[0] == "storage" and names and names[-1].startswith("gs://"):
        return "bucket" if "/" not in names[-1][5:].rstrip("/") else "object"
    word = path[-1]
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _local(cmd: Command, path: list[str], verb: str) -> Operation:
    effect = verb_effect(verb) or Effect.UNKNOWN
    if verb in _READ_ALWAYS or verb == "list" or verb.startswith(("print", "describe")):
        effect = Effect.READ
    elif effect is not Effect.READ:
        effect = Effect.WRITE
    tgt = Target.make("gcloud-config", path[0], tier=local_tier(cmd, True), host=cmd.host)
    return make_op(cmd, "gcp", verb, effect, [tgt], summary=f"gcloud {' '.join(path)} {verb}")


def _ssh(cmd: Command, ctx: Context, a: Args, names: list[str], scope: dict) -> list[Operation]:
    host = names[0] if names else "?"
    tgt = _gtarget(cmd, "instance", host, scope)
    op = make_op(cmd, "gcp", "ssh", Effect.UNKNOWN, [tgt], {"remote-code"}, f"ssh to `{host}`")
    inner = a.value("--command") or " ".join(a.after_dashdash)
    if not inner or ctx.depth >= 4:
        return [op]
    from dataclasses import replace

    sub = replace(cmd, host=host.split("@")[-1], via=(*cmd.via, "gcloud compute ssh"))
    return [op, *ctx.shell(inner, sub)]


# --- gsutil ------------------------------------------------------------------------------------

_GSUTIL_READ = words("ls cat du stat hash version help signurl")
_GSUTIL_WRITE = words("cp mv mb setmeta rewrite compose config update")
_GSUTIL_SUBREAD = words("get list")


def _gsutil(cmd: Command) -> Operation:
    a = parse_args(cmd.args, {"-u", "-o", "-h", "-i"}, bundle=True, stop_at_first_positional=True)
    if not a.pos:
        return make_op(cmd, "gcp", "help", Effect.READ, summary="gsutil help")
    sub, rest = a.pos[0], a.pos[1:]
    b = parse_args(rest, {"-p", "-x", "-c", "-z", "-j", "-s", "-L"}, bundle=True)
    urls = [w for w in b.pos if "://" in w]
    effect, tags = _gsutil_effect(sub, b)
    dest = urls[-1] if urls else (b.pos[-1] if b.pos else "")
    tgt = _gs_target(cmd, dest, a.value("-u"), "recursive" in tags)
    if any(t in dest for t in ("*", "?")):
        tags.add("wildcard")
        if dest.endswith("/**") or dest.endswith("/*"):
            tags.add("all")
    if sub in ("rm", "rb") and tgt.kind == "bucket" and tags & {"recursive", "force"}:
        tags.add("all")
    if effect is Effect.READ:
        tags &= {"dry-run"}
    summary = f"gsutil {sub} `{tgt.name}`"
    return make_op(cmd, "gcp", f"gsutil-{sub}", effect, [tgt], tags, summary)


def _gsutil_effect(sub: str, b: Args) -> tuple[Effect, set[str]]:
    tags: set[str] = set()
    if b.has("-r", "-R"):
        tags.add("recursive")
    if sub in _GSUTIL_READ or (sub == "cp" and b.pos[-1:] == ["-"]):
        return Effect.READ, tags
    if sub == "rm":
        if b.has("-a"):
            tags.add("all")
        return Effect.DESTROY, tags
    if sub == "rb":
        return Effect.DESTROY, tags | ({"force"} if b.has("-f") else set())
    if sub == "rsync":
        if b.has("-n"):
            return Effect.READ, tags | {"dry-run"}
        return (Effect.DESTROY if b.has("-d") else Effect.WRITE), tags
    if sub in _GSUTIL_WRITE:
        return Effect.WRITE, tags
    if b.pos and b.pos[0] in _GSUTIL_SUBREAD:
        return Effect.READ, tags
    text = " ".join(b.pos).lower() + " " + " ".join(b.values("-u", "-g", "-p")).lower()
    if sub in ("acl", "iam", "defacl"):
        tags.add("security")
        if "allusers" in text or "allauthenticatedusers" in text:
            tags.add("public")
    if sub in ("acl", "defacl") and "public-read" in text:
        tags.add("public")
    if (sub == "versioning" and "off" in b.pos) or (sub == "retention" and "clear" in b.pos):
        tags |= {"no-backup", "protection-off"}
    if sub == "lifecycle":
        tags.add("lifecycle")
    return Effect.WRITE, tags


def _gs_target(cmd: Command, url: str, project: str | None, recursive: bool) -> Target:
    if not url.startswith("gs://"):
        return path_target(cmd, url) if url else Target.make("bucket", "*", project=project)
    key = url[5:].partition("/")[2]
    kind = "bucket" if not key.strip("*") else ("prefix" if recursive else "object")
    return Target.make(kind, url[5:].rstrip("/"), project=project, host=cmd.host)
