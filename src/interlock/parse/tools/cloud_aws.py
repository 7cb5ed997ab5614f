"""The AWS CLI: `aws [global options] <service> <operation> [--param value …]`.

Operations are classified by their name for every service (`describe-*` reads, `delete-*`
destroys, anything else writes), then a small table of facts that rules need is added: an
environment root (`cloudformation delete-stack`, `ec2 delete-vpc`), data stores, backups, IAM,
public access, audit trails, keys, scale-to-zero. `aws s3` (the high-level commands) and the
code-running operations (`ssm send-command`) are read separately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.tools import Context
from interlock.parse.tools import cloud_aws_facts as facts
from interlock.parse.tools.cloud import is_local_url, local_tier, make_op, words

_GLOBAL_VALUE = words(
    "--profile --region --endpoint-url --output --query --ca-bundle --cli-read-timeout "
    "--cli-connect-timeout --color --cli-binary-format"
)
_GLOBAL_FLAGS = words(
    "--debug --no-verify-ssl --no-paginate --no-cli-pager --no-sign-request --cli-auto-prompt "
    "--no-cli-auto-prompt --version"
)
_S3_VALUE = words(
    "--exclude --include --acl --storage-class --sse --sse-kms-key-id --sse-c --sse-c-key "
    "--grants --metadata --content-type --cache-control --expires --page-size --source-region "
    "--expected-size --website-redirect --content-disposition --content-encoding "
    "--content-language --metadata-directive --expires-in --index-document --error-document "
    "--checksum-algorithm --copy-props --request-payer --sse-c-copy-source "
    "--sse-c-copy-source-key --tag-set"
)

_READ_FIRST = words(
    "describe list get search lookup scan query head check validate estimate test preview "
    "simulate wait help generate detect discover download filter select can verify compare "
    "analyze view tail translate synthesize recognize decrypt encrypt sign decode evaluate "
    "calculate batch-get"
)
_READ_OPS = words(
    "re-encrypt assume-role assume-role-with-web-identity assume-role-with-saml invoke-model "
    "invoke-model-with-response-stream invoke-endpoint converse converse-stream start-query "
    "presign ls help wait receive-message start-live-tail update-kubeconfig"
)
_DESTROY_FIRST = words("delete terminate destroy purge drop erase deprovision decommission")
_DESTROY_OPS = words(
    "schedule-key-deletion disable-key release-address deregister-image revoke-certificate "
    "close-account leave-organization remove-account-from-organization rebuild-environment "
    "reset-db-cluster-to-snapshot"
)
_LOCAL_LOGIN = frozenset(("sso login", "sso logout", "codeartifact login", "ecr-public get-login"))
_ARN_ACCOUNT = re.compile(r"arn:aws[\w-]*:[\w-]*:([\w-]*):(\d{12}):")
_URL_ACCOUNT = re.compile(r"amazonaws\.com/(\d{12})/")


@dataclass(slots=True)
class Call:
    service: str = ""
    op: str = ""
    params: dict[str, list[str]] = field(default_factory=dict)
    pos: list[str] = field(default_factory=list)
    glob: dict[str, str] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.params

    def first(self, *names: str) -> str | None:
        for n in names:
            vals = self.params.get(n)
            if vals:
                return vals[0]
        return None


def parse(words: tuple[str, ...]) -> Call:
    call, i = Call(), 0
    while i < len(words):
        w, i = words[i], i + 1
        if not (w.startswith("--") and len(w) > 2):
            _positional(call, w)
            continue
        name, eq, val = w.partition("=")
        if name in _GLOBAL_VALUE or name in _GLOBAL_FLAGS:
            if eq or name in _GLOBAL_FLAGS:
                call.glob[name] = val
            elif i < len(words):
                call.glob[name], i = words[i], i + 1
            continue
        vals = call.params.setdefault(name, [])
        if eq:
            vals.append(val)
        elif call.service == "s3" or not call.op:
            if name in _S3_VALUE and i < len(words):
                vals.append(words[i])
                i += 1
        else:
            while i < len(words) and not words[i].startswith("--"):
                vals.append(words[i])
                i += 1
    return call


def _positional(call: Call, w: str) -> None:
    if not call.service:
        call.service = w
    elif not call.op:
        call.op = w
    else:
        call.pos.append(w)


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    call = parse(cmd.args)
    if "--version" in call.glob or not call.service or call.service == "help":
        return [make_op(cmd, "aws", "help", Effect.READ, summary="prints aws help or version")]
    scope = _scope(cmd, call)
    if any(cmd.is_dynamic(i) for i in range(1, min(len(cmd.argv), 4))) and "$" in (
        call.service + call.op
    ):
        return [make_op(cmd, "aws", "unknown", Effect.UNKNOWN, tags={"dynamic-target"})]
    if call.service == "configure" or f"{call.service} {call.op}" in _LOCAL_LOGIN:
        return [_configure(cmd, call)]
    if call.service == "s3":
        from interlock.parse.tools.cloud_storage import aws_s3_op

        return [aws_s3_op(cmd, call, scope)]
    if (
        not call.op
        or call.op == "help"
        or "help" in call.pos
        or call.has("--generate-cli-skeleton")
    ):
        return [make_op(cmd, "aws", "help", Effect.READ, summary=f"aws {call.service} help")]
    return _service_op(cmd, ctx, call, scope)


def _scope(cmd: Command, call: Call) -> dict[str, str | None]:
    endpoint = (
        call.glob.get("--endpoint-url")
        or cmd.getenv(f"AWS_ENDPOINT_URL_{call.service.upper().replace('-', '_')}")
        or cmd.getenv("AWS_ENDPOINT_URL")
    )
    account, region = _account(call)
    return {
        "profile": call.glob.get("--profile")
        or cmd.getenv("AWS_PROFILE")
        or cmd.getenv("AWS_DEFAULT_PROFILE"),
        "region": call.glob.get("--region")
        or cmd.getenv("AWS_REGION")
        or cmd.getenv("AWS_DEFAULT_REGION")
        or region,
        "account": call.first("--account-id") or account,
        "env": _param_env(call),
        "url": endpoint,
        "host": cmd.host,
        "_local": "1" if cmd.program == "awslocal" or is_local_url(endpoint) else None,
    }


def _param_env(call: Call) -> str | None:
    """`cloudformation deploy --parameter-overrides Environment=production`, `--parameters
    ParameterKey=Environment,ParameterValue=prod`, `codepipeline … --variables
    name=ENV,value=prod`: a parameter naming the environment."""
    from interlock.parse.tools.generic_ci import param_env

    pairs = [""]
    for v in (*call.params.get("--parameter-overrides", ()), *call.params.get("--parameters", ()),
              *call.params.get("--variables", ())):  # fmt: skip
        kv = {k.lower(): val for k, _, val in (p.partition("=") for p in v.split(","))}
        key = kv.get("parameterkey") or kv.get("name")
        pairs.append(f"{key}={kv.get('parametervalue') or kv.get('value', '')}" if key else v)
    return param_env(pairs)


def _account(call: Call) -> tuple[str | None, str | None]:
    for vals in call.params.values():
        for v in vals:
            m = _ARN_ACCOUNT.search(v)
            if m:
                return m.group(2), m.group(1) or None
            m = _URL_ACCOUNT.search(v)
            if m:
                return m.group(1), None
    return None, None


def target(cmd: Command, kind: str, name: str, scope: dict[str, str | None]) -> Target:
    tier = local_tier(cmd, bool(scope.get("_local")))
    keys = {k: v for k, v in scope.items() if not k.startswith("_")}
    return Target.make(kind, name, tier=tier, **keys)


def where(scope: dict[str, str | None]) -> str:
    parts = [f"profile {scope['profile']}"] if scope.get("profile") else []
    parts += [v for k in ("region", "account") if (v := scope.get(k))]
    if scope.get("_local"):
        parts.append("local endpoint")
    return ", ".join(parts)


def op_effect(op: str) -> Effect:
    """READ/WRITE/DESTROY from an operation name alone, for any service."""
    if op in _READ_OPS:
        return Effect.READ
    if op in _DESTROY_OPS:
        return Effect.DESTROY
    for prefix in ("batch-", "admin-"):
        if op.startswith(prefix) and len(op) > len(prefix):
            if op.startswith("batch-get"):
                return Effect.READ
            return op_effect(op[len(prefix) :])
    first = op.split("-", 1)[0]
    if first in _READ_FIRST:
        return Effect.READ
    if first in _DESTROY_FIRST:
        return Effect.DESTROY
    return Effect.WRITE


def op_kind(service: str, op: str) -> str:
    if op == "schedule-key-deletion":
        return "key"
    parts = op.split("-")
    while parts and parts[0] in ("batch", "admin"):
        parts = parts[1:]
    if len(parts) < 2:
        return service
    kind = "-".join(parts[1:])
    if kind.endswith("ies"):
        return kind[:-3] + "y"
    if kind.endswith("s") and not kind.endswith(("ss", "us", "is")):
        return kind[:-1]
    return kind


def _names(call: Call, kind: str) -> list[str]:
    if call.has("--bucket") and call.has("--key"):
        return [f"{call.first('--bucket')}/{call.first('--key')}"]
    for suffix in ("-identifier", "-name", "-ids", "-id", "-arn", "-names", "-arns", "", "s"):
        vals = call.params.get(f"--{kind}{suffix}")
        if vals:
            return vals
    for name in ("--bucket", "--cluster", "--name", "--key-id", "--secret-id", "--queue-url"):
        if call.params.get(name):
            return call.params[name]
    for name, vals in call.params.items():
        if vals and name.endswith(("-identifier", "-name", "-ids", "-id", "-arn", "-url")):
            return vals
    return []


def _service_op(cmd: Command, ctx: Context, call: Call, scope: dict) -> list[Operation]:
    svc, op = call.service, call.op
    effect, kind = op_effect(op), op_kind(svc, op)
    names = _names(call, kind) or call.pos[:1]
    name = names[0] if names else ""
    tags = facts.tags(call, effect, kind, names)
    effect, tags = facts.adjust(call, effect, tags)
    if svc in ("ssm", "ecs", "ec2-instance-connect") and _runs_code(op):
        return _remote_code(cmd, ctx, call, scope, name)
    if tags & {"dry-run"}:
        effect = Effect.READ
    if call.has("--cluster") and kind != "cluster":
        scope = {**scope, "cluster": call.first("--cluster")}
    if call.has("--stack-name") and kind != "stack":  # `execute-change-set --stack-name prod`
        scope = {**scope, "stack": call.first("--stack-name")}
    targets = [target(cmd, kind, n, scope) for n in names] or [target(cmd, kind, "", scope)]
    label = f"`{name}`" + (f" and {len(names) - 1} more" if len(names) > 1 else "")
    summary = f"aws {svc} {op} {label if name else ''}".rstrip()
    loc = where(scope)
    return [
        make_op(
            cmd,
            "aws",
            op,
            effect,
            targets,
            tags,
            f"{summary} ({loc})" if loc else summary,
        )
    ]


def _runs_code(op: str) -> bool:
    return op in (
        "send-command",
        "start-session",
        "execute-command",
        "ssh",
        "start-automation-execution",
    )


def _remote_code(cmd: Command, ctx: Context, call: Call, scope: dict, name: str) -> list[Operation]:
    where_ = name or _tag_values(call.first("--targets")) or "?"
    tgt = target(cmd, "instance", where_, scope)
    op = make_op(
        cmd,
        "aws",
        call.op,
        Effect.UNKNOWN,
        [tgt],
        {"remote-code"},
        f"runs commands on `{where_}` through aws {call.service} {call.op}",
    )
    inner: list[Operation] = []
    if ctx.depth < 4:
        host = f"aws-{call.service}:{where_}"
        inner_cmd = replace(cmd, host=host, via=(*cmd.via, f"aws {call.service}"))
        for text in _commands(call):
            inner.extend(ctx.shell(text, inner_cmd))
    return [op, *inner]


def _tag_values(spec: str | None) -> str:
    if not spec or "Values=" not in spec:
        return ""
    return spec.split("Values=", 1)[1].split(",")[0].strip("[]\"'")


def _commands(call: Call) -> list[str]:
    texts = [v for v in call.params.get("--command", [])]
    for param in call.params.get("--parameters", []):
        texts.extend(_ssm_commands(param))
    return [t for t in texts if t]


def _ssm_commands(param: str) -> list[str]:
    import json  # only when a command payload is present

    p = param.strip()
    try:
        if p.startswith("{"):
            data = json.loads(p)
            vals = data.get("commands", []) if isinstance(data, dict) else []
            return [str(v) for v in (vals if isinstance(vals, list) else [vals])]
        if p.startswith("commands="):
            body = p[len("commands=") :]
            if body.startswith("["):
                try:
                    return [str(v) for v in json.loads(body)]
                except ValueError:
                    return [s.strip() for s in body.strip("[]").split(",")]
            return [body]
    except (ValueError, AttributeError):
        return []
    return []


def _configure(cmd: Command, call: Call) -> Operation:
    reads = ("list", "get", "list-profiles", "export-credentials", "help")
    effect = Effect.READ if call.op in reads else Effect.WRITE
    tgt = Target.make("aws-config", "~/.aws/config", tier=local_tier(cmd, True), host=cmd.host)
    action = f"configure-{call.op}" if call.op else "configure"
    if call.service != "configure":
        action = f"{call.service}-{call.op}"
    return make_op(cmd, "aws", action, effect, [tgt], summary=f"aws {action}")
