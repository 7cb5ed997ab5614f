"""Cloud provider CLIs: aws, gcloud, gsutil, bq, az, doctl, heroku, rclone and the rest.

Each provider lives in its own module (`cloud_aws`, `cloud_gcp`, `cloud_bq`, `cloud_azure`,
`cloud_other`), imported only when its program is seen. This module dispatches and holds what
they share: the verb lexicon used when a CLI's subcommand is not in a table, SQL sniffing for
`bq query`, `wrangler d1 execute` and the AWS data APIs, and small helpers to build operations.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.tools import Context

_MODULES = {
    "aws": "cloud_aws",
    "awslocal": "cloud_aws",
    "gcloud": "cloud_gcp",
    "gsutil": "cloud_gcp",
    "bq": "cloud_bq",
    "az": "cloud_azure",
    "azcopy": "cloud_azure",
}


def words(text: str) -> frozenset[str]:
    """A set from a space-separated list (keeps long tables readable)."""
    return frozenset(text.split())


# --- the verb lexicon --------------------------------------------------------------------------

READ_VERBS = words(
    "list ls la describe show get read view inspect info status search lookup find cat head "
    "tail logs log stat du diff check validate verify test preview plan explain estimate "
    "simulate wait watch help version whoami browse open print access lint tree size about "
    "hash md5sum sha1sum sha256sum hashsum lsd lsl lsf lsjson ncdu ping download dump "
    "env-list config-show listremotes cryptcheck exists"
)
READ_PREFIXES = (
    "list", "describe", "get", "show", "search", "lookup", "print", "check", "validate",
    "test", "preview", "simulate", "estimate", "view", "read", "verify", "inspect", "detect",
    "discover", "download", "filter", "batch-get", "head", "can", "compare", "analyze",
)  # fmt: skip
DESTROY_VERBS = words(
    "delete del rm remove destroy purge terminate erase wipe drop truncate rb rmdir rmdirs "
    "deletefile cleanup prune nuke rebuild reinstall reimage dedupe"
)
WRITE_VERBS = words(
    "create update set unset add patch apply deploy publish start stop restart reboot resize "
    "scale submit import export copy cp mv move rename enable disable attach detach associate "
    "disassociate tag untag label login logout init install uninstall upgrade rollback promote "
    "restore put push upload sync mb mk mkdir touch link unlink config configure cancel "
    "release revoke grant authorize invoke send load insert rotate reset suspend resume pause "
    "unpause lock unlock clone migrate up down open-tunnel switch use activate deactivate "
    "edit replace assign unassign allow deny approve reject renew recover failover register "
    "deregister rotate-keys upsert mirror rcat copyto moveto copyurl settier bisync mount "
    "serve pipe rsync expire setacl setpolicy delpolicy dellifecycle setcors delcors setlifecycle "
    "setversioning modify write new generate redeploy build shutdown poweroff power-off power-on "
    "poweron power-cycle powercycle deallocate halt append capture repair scp save snapshot swap "
    "reload refresh restage"
)
UNKNOWN_VERBS = words("run exec ssh console connect shell execute eval script")

_SEPARATORS = re.compile(r"[-:_.]")
# Hyphenated group names that start with a word the lexicon reads as a verb
# (`load-balancer`, `access-key`, `log-sink`): a noun unless their last part is a verb.
_NOUN_HEADS = words("access load log status label env version info size tree link lock open ssh")
# The plain verbs a resource group is followed by: `vultr-cli snapshot list`, `kms import-jobs list`.
CRUD_READ = words("list ls get show describe info view")
CRUD = CRUD_READ | words("delete rm remove destroy purge create update set add restore apply")
_NOUN_TAILS = words("info status log logs size tree version access")  # `project-info`


def verb_effect(word: str) -> Effect | None:
    """The effect a subcommand name implies, or None when the lexicon does not know it."""
    w = word.lower()
    for table, effect in (
        (READ_VERBS, Effect.READ),
        (DESTROY_VERBS, Effect.DESTROY),
        (UNKNOWN_VERBS, Effect.UNKNOWN),
        (WRITE_VERBS, Effect.WRITE),
    ):
        if w in table:
            return effect
    parts = [p for p in _SEPARATORS.split(w) if p]
    if len(parts) < 2:
        return None
    return _compound_effect(parts)


def _compound_effect(parts: list[str]) -> Effect | None:
    first, last = parts[0], parts[-1]
    if first in _NOUN_HEADS and verb_effect(last) is None:
        return None
    if last in DESTROY_VERBS or first in ("delete", "destroy", "purge", "terminate", "drop"):
        return Effect.DESTROY
    if first in READ_VERBS or "-".join(parts[:2]) in READ_PREFIXES or first in READ_PREFIXES:
        return Effect.READ
    if last in READ_VERBS and last not in _NOUN_TAILS:
        return Effect.READ
    if first in WRITE_VERBS or last in WRITE_VERBS or first in ("remove", "rm"):
        return Effect.WRITE
    if first in UNKNOWN_VERBS or last in UNKNOWN_VERBS:
        return Effect.UNKNOWN
    return None


# --- SQL sniffing ------------------------------------------------------------------------------

_SQL_STRINGS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"])*\"|--[^\n]*|/\*.*?\*/", re.S)
_SQL_WORDS = re.compile(r"[A-Z_]+")
_SQL_DESTROY = frozenset(("DROP", "TRUNCATE", "DELETE"))
_SQL_WRITE = words(
    "INSERT UPDATE MERGE CREATE ALTER GRANT REVOKE REPLACE RENAME COPY UPSERT CALL EXEC "
    "EXECUTE SET VACUUM ANALYZE COMMENT REFRESH UNLOAD"
)


def sql_effect(text: str, dialect: str | None = None) -> tuple[Effect, frozenset[str]]:
    """The most severe effect of the SQL statements in `text`, and their tags.

    Uses the shared classifier (`interlock.parse.sql`); a keyword scan stands in if it fails.
    """
    try:
        from interlock.parse.sql import classify_sql, severity
    except ImportError:  # pragma: no cover - the shared classifier ships with the package
        return _keyword_sql(text)
    stmts = classify_sql(text, dialect)
    if not stmts:
        return Effect.READ, frozenset()
    effect = max((st.effect for st in stmts), key=severity)
    tags = {t for st in stmts for t in st.tags}
    if any(st.effect is Effect.DESTROY and st.object_kind in _DATA_OBJECTS for st in stmts):
        tags.add("database")
    return effect, frozenset(tags)


_DATA_OBJECTS = frozenset(("table", "database", "schema", "keyspace", "dataset"))


def _keyword_sql(text: str) -> tuple[Effect, frozenset[str]]:
    clean = _SQL_STRINGS.sub(" ", text).upper()
    effect, tags = Effect.READ, set()
    for stmt in clean.split(";"):
        words = _SQL_WORDS.findall(stmt)
        if not words:
            continue
        head = words[0]
        if head in _SQL_DESTROY:
            effect = Effect.DESTROY
            if head == "DELETE" and "WHERE" not in words:
                tags.add("no-where")
            if head == "TRUNCATE" or (head == "DROP" and _drops_data(words)):
                tags.add("database")
        elif head in _SQL_WRITE and effect is not Effect.DESTROY:
            effect = Effect.WRITE
    return effect, frozenset(tags)


def _drops_data(words: list[str]) -> bool:
    return len(words) > 1 and words[1] in ("TABLE", "DATABASE", "SCHEMA", "DATASET")


# --- helpers shared by the provider modules ------------------------------------------------------

_LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "[::1]", "localstack", "host.docker.internal")


def is_local_url(url: str | None) -> bool:
    return bool(url) and any(h in url.lower() for h in _LOCAL_HOSTS)  # type: ignore[union-attr]


def local_tier(cmd: Command, local: bool) -> Tier:
    """LOCAL when the analyzer knows the target is local and the command runs here."""
    return Tier.LOCAL if local and not cmd.host else Tier.UNKNOWN


def path_target(cmd: Command, path: str) -> Target:
    """A target on the local filesystem; relative paths and /tmp are certainly local."""
    local = not path.startswith(("/", "~")) or path.startswith("/tmp/")
    return Target.make("path", path, tier=local_tier(cmd, local), host=cmd.host)


def make_op(
    cmd: Command,
    family: str,
    action: str,
    effect: Effect,
    targets: Iterable[Target] = (),
    tags: Iterable[str] = (),
    summary: str = "",
) -> Operation:
    tag_set = frozenset(tags)
    if effect is not Effect.READ:
        tag_set -= {"dry-run"}
    return Operation.of(
        cmd, family, action, effect, targets, tag_set, summary or f"{cmd.program} {action}"
    )


def describe(effect: Effect, action: str, kind: str, name: str, where: str = "") -> str:
    """A short phrase: "deletes db-instance `main` (profile prod)"."""
    verb = {Effect.READ: "reads", Effect.UNKNOWN: "runs"}.get(effect, f"{action}:")
    text = f"{verb} {kind} `{name}`" if name else f"{verb} {kind}"
    return f"{text} ({where})" if where else text


def any_dynamic(cmd: Command) -> bool:
    return any(cmd.is_dynamic(i) for i in range(1, len(cmd.argv)))


def unknown(cmd: Command, family: str, why: str) -> Operation:
    return make_op(cmd, family, "unknown", Effect.UNKNOWN, summary=why)


FAMILIES = {
    "aws": "aws", "awslocal": "aws", "s3cmd": "aws", "s5cmd": "aws",
    "gcloud": "gcp", "gsutil": "gcp", "bq": "gcp", "firebase": "firebase",
    "az": "azure", "azcopy": "azure",
    "doctl": "digitalocean", "linode-cli": "linode", "hcloud": "hetzner", "oci": "oci",
    "ibmcloud": "ibmcloud", "scw": "scaleway", "vultr-cli": "vultr", "exo": "exoscale",
    "flyctl": "fly", "fly": "fly", "heroku": "heroku", "vercel": "vercel",
    "netlify": "netlify", "railway": "railway", "render": "render", "wrangler": "cloudflare",
    "supabase": "supabase", "rclone": "rclone", "aliyun": "alibaba", "upcloud": "upcloud",
    "upctl": "upcloud",
    "civo": "civo", "ovhcloud": "ovhcloud", "openstack": "openstack", "swift": "openstack",
    "mc": "minio",
}  # fmt: skip


def family_of(program: str) -> str:
    return FAMILIES.get(program, "cloud")


_HELP = frozenset(("--help", "-h"))
_HELP_VALUE_H = frozenset(("gsutil",))  # `gsutil -h "Header:value" cp …`


def asks_help(cmd: Command) -> bool:
    """`… --help`, `… -h`, `help …` (and aws's trailing `help`) print usage and change nothing.

    Not when words follow a code-running verb (`heroku run ls --help` hands `--help` to `ls`),
    nor when a word is dynamic (its expansion could end the options first).
    """
    args = cmd.args
    if "--" in args:
        args = args[: args.index("--")]
    if not args or any_dynamic(cmd):
        return False
    flags = {"--help"} if cmd.program in _HELP_VALUE_H else _HELP
    pos = [w for w in args if not w.startswith("-")]
    asked = any(w in flags for w in args) or pos[:1] == ["help"]
    if cmd.program in ("aws", "awslocal") and args[-1] == "help":
        asked = True
    if not asked:
        return False
    verbs = UNKNOWN_VERBS - {"run"} if cmd.program == "gcloud" else UNKNOWN_VERBS  # Cloud Run
    runs = [i for i, w in enumerate(pos) if any(p in verbs for p in w.split(":"))]
    return not runs or runs[0] == len(pos) - 1


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    """Dispatch to the provider module; an analyzer that trips answers UNKNOWN, never raises."""
    family = family_of(cmd.program)
    if asks_help(cmd):
        return [make_op(cmd, family, "help", Effect.READ, summary=f"prints `{cmd.program}` help")]
    try:
        mod = importlib.import_module(
            f"interlock.parse.tools.{_MODULES.get(cmd.program, 'cloud_other')}"
        )
        ops: list[Operation] = mod.analyze(cmd, ctx)
    except Exception:  # fail closed: the operation becomes UNKNOWN, never silently READ
        ops = []
    return ops or [unknown(cmd, family, f"runs `{cmd.program}` in a way we could not read")]
