"""BigQuery's `bq`: a flat command table; `bq query` is classified by its SQL text."""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.cloud import make_op, sql_effect, words


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    return [_bq(cmd)]


_BQ_VALUE = words(
    "--project_id --location --format --dataset_id --destination_table --max_rows -n "
    "--parameter --label --schema --source_format --api --job_id --maximum_bytes_billed "
    "--description --expiration --default_table_expiration --apilog --time_partitioning_field "
    "--default_partition_expiration"
)
_BQ_READ = words("ls show head wait version help get-iam-policy mkdef")  # mkdef prints JSON
_BQ_WRITE = words(
    "mk update insert extract cancel init partition cp set-iam-policy add-iam-policy-binding "
    "remove-iam-policy-binding undelete"
)
# `bq cp SRC DST`, `bq partition SRC DST` write their last word; the others act on their first
# (`bq load TABLE gs://…`, `bq mk -t DATASET.TABLE schema.json`, `bq extract TABLE gs://…`).
_BQ_DEST_LAST = words("cp partition")
_EXPIRY = words("--expiration --default_table_expiration --default_partition_expiration")


def _bq(cmd: Command) -> Operation:
    a = parse_args(cmd.args, _BQ_VALUE)
    if not a.pos:
        return make_op(cmd, "gcp", "help", Effect.READ, summary="bq help")
    sub, rest = a.pos[0], a.pos[1:]
    project = a.value("--project_id") or cmd.getenv("CLOUDSDK_CORE_PROJECT")
    if sub == "query" or not rest:
        name = a.value("--destination_table") or ""
    else:
        name = rest[-1] if sub in _BQ_DEST_LAST else rest[0]
    if ":" in name and not project:
        project = name.split(":", 1)[0]
    effect, tags, kind = _bq_effect(cmd, sub, a, rest, name)
    if a.has("--dry_run") and effect is not Effect.READ:
        effect, tags = Effect.READ, {"dry-run"}
    tgt = Target.make(kind, name or "?", project=project, host=cmd.host)
    summary = f"bq {sub} `{name}`" if name else f"bq {sub}"
    return make_op(cmd, "gcp", f"bq-{sub}", effect, [tgt], tags, summary)


def _bq_effect(
    cmd: Command, sub: str, a: Args, rest: list[str], name: str
) -> tuple[Effect, set[str], str]:
    kind = "table" if "." in name else "dataset"
    if sub in _BQ_READ:
        return Effect.READ, set(), kind
    if sub == "rm" and a.has("-j", "--job"):
        return Effect.WRITE, set(), "job"
    if sub == "truncate":
        return Effect.DESTROY, {"database"}, "table"
    if sub == "rm":
        kind = "dataset" if a.has("-d", "--dataset") else kind
        kind = "table" if a.has("-t", "--table") else kind
        kind = "model" if a.has("-m", "--model") else kind
        tags = {"database"} | ({"recursive"} if a.has("-r", "--recursive") else set())
        return Effect.DESTROY, tags | ({"auto-approve"} if a.has("-f", "--force") else set()), kind
    if sub == "query":
        text = " ".join(rest) or cmd.stdin or ""
        effect, sql_tags = sql_effect(text, "bigquery") if text else (Effect.UNKNOWN, frozenset())
        if a.has("--replace") and a.has("--destination_table"):
            effect = Effect.DESTROY
        return effect, set(sql_tags), "table"
    if sub == "load":
        return (Effect.DESTROY if a.has("--replace") else Effect.WRITE), set(), "table"
    if sub in _BQ_WRITE:
        tags = {"iam", "security"} if "iam" in sub else set()
        if sub == "update" and a.has(*_EXPIRY):
            tags.add("lifecycle")  # the table (or every new one) is deleted when it expires
        return Effect.WRITE, tags | ({"force"} if a.has("-f", "--force") else set()), kind
    return Effect.UNKNOWN, set(), kind
