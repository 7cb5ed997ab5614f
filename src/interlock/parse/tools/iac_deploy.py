"""Application deployers: AWS CDK, CDK for Terraform, Serverless/SST, SAM and Copilot.

Each deploys or tears down a named stack, stage or environment: `cdk destroy ProdStack -f`,
`sls remove --stage prod`, `sam delete --stack-name api-prod --no-prompts`,
`copilot env delete -n prod --yes`. The stage or stack name carries the environment.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.iac_common import env_hint, is_dynamic_word, op, read, target, unknown

_CDK_VALUE = frozenset({
    "--profile", "-c", "--context", "--app", "-a", "--output", "-o", "--require-approval",
    "--toolkit-stack-name", "--role-arn", "-r", "--method", "-m", "--change-set-name",
    "--outputs-file", "-O", "--parameters", "--concurrency", "--build-exclude", "-E",
    "--notification-arns", "--tags", "-t", "--plugin", "-p", "--ca-bundle-path", "--proxy",
    "--toolkit-bucket-name", "-b", "--bootstrap-bucket-name", "--bootstrap-kms-key-id",
    "--cloudformation-execution-policies", "--trust", "--trust-for-lookup", "--qualifier",
    "--language", "-l", "--template", "--from-path", "--from-stack", "--stack-name", "-n",
    "--unstable", "--action", "--rollback-buffer-days", "--created-buffer-days",
    "--resource-mapping", "--record-resource-mapping", "--var", "--var-file", "--parallelism",
    "--asset-parallelism", "--confirm", "--region",
})  # fmt: skip
_CDK_READ = frozenset({
    "diff", "synth", "synthesize", "ls", "list", "doctor", "docs", "doc", "metadata", "notices",
    "acknowledge", "ack", "version", "drift", "help", "plan", "output", "outputs", "get", "debug",
    "convert", "completion",
})  # fmt: skip
_ENV_KEYS = frozenset({"env", "environment", "stage", "stagename", "target_env", "deploy_env"})
_CDK_LOCAL = frozenset({"init", "migrate", "context", "flags", "provider", "login"})


def analyze_cdk(cmd: Command) -> list[Operation]:
    """`cdk` (AWS CDK) and `cdktf` (CDK for Terraform) share their verbs and flag shapes."""
    args = parse_args(cmd.args, _CDK_VALUE)
    if args.has("--help", "-h", "--version") or not args.pos:
        return [read(cmd, "help")]
    verb = {"apply": "deploy"}.get(args.pos[0], args.pos[0])
    if is_dynamic_word(verb):
        return [unknown(cmd, verb, "dynamic-target")]
    stacks = _cdk_stacks(cmd, args)
    if (
        verb in _CDK_READ
        or (verb == "gc" and args.value("--action") == "print")
        or (verb == "context" and not args.has("--reset", "-e", "--clear"))
    ):
        return [read(cmd, verb, stacks)]
    if verb in _CDK_LOCAL:
        t = target(cmd, "cdk-app", verb, Tier.LOCAL)
        return [op(cmd, verb, Effect.WRITE, [t], (), f"{cmd.program} {verb} (local files)")]
    if verb in ("deploy", "watch"):
        return [_cdk_deploy(cmd, args, verb, stacks)]
    if verb == "destroy":
        tags = _cdk_tags(cmd, args) | {"teardown"}
        names = ", ".join(t.name for t in stacks)
        return [op(cmd, "destroy", Effect.DESTROY, stacks, tags, f"destroys stacks {names}")]
    if verb == "gc":
        return [
            op(cmd, "gc", Effect.DESTROY, stacks, _cdk_tags(cmd, args), "deletes unused assets")
        ]
    if verb in ("bootstrap", "import", "rollback", "refactor"):
        if args.has("--dry-run"):
            return [read(cmd, verb, stacks, "dry-run")]
        return [op(cmd, verb, Effect.WRITE, stacks, _cdk_tags(cmd, args), f"{cmd.program} {verb}")]
    return [unknown(cmd, verb)]


def _cdk_stacks(cmd: Command, args: Args) -> list[Target]:
    profile = args.value("--profile") or cmd.getenv("AWS_PROFILE")
    hints = [v.partition("=")[2] for v in args.values("-c", "--context") if _is_env_key(v)]
    names = [p for p in args.pos[1:] if p] or ["(all stacks)" if args.has("--all") else "(app)"]
    return [
        target(cmd, "cdk-stack", n, profile=profile, env=env_hint([*hints, n, profile]))
        for n in names
    ]


def _is_env_key(assignment: str) -> bool:
    return assignment.partition("=")[0].strip().lower() in _ENV_KEYS


def _cdk_tags(cmd: Command, args: Args) -> set[str]:
    tags: set[str] = set()
    if args.has("--all") or any("*" in p for p in args.pos[1:]):
        tags |= {"all", "bulk"}
    if args.has("--force", "-f"):
        tags.add("force")
        if args.pos[0] == "destroy":
            tags.add("auto-approve")
    if args.has("--auto-approve") or args.value("--confirm") == "false":
        tags.add("auto-approve")
    return tags


def _cdk_deploy(cmd: Command, args: Args, verb: str, stacks: list[Target]) -> Operation:
    if args.value("--method", "-m") == "prepare-change-set" or args.has("--no-execute"):
        return read(cmd, verb, stacks, "dry-run")
    tags = _cdk_tags(cmd, args)
    if args.value("--require-approval") == "never" or verb == "watch":
        tags.add("auto-approve")
    if args.has("--hotswap", "--hotswap-fallback") or verb == "watch":
        tags.add("hotswap")
    if args.has("--no-rollback"):
        tags.add("no-rollback")
    names = ", ".join(t.name for t in stacks)
    return op(cmd, "deploy", Effect.WRITE, stacks, tags, f"deploys stacks {names}")


# ---- Serverless Framework and SST ----------------------------------------------------------

_SLS_VALUE = frozenset({
    "--stage", "-s", "--region", "-r", "--aws-profile", "--config", "-c", "--function", "-f",
    "--param", "--app", "--org", "--data", "-d", "--path", "-p", "--timestamp", "-t",
    "--package", "--type",
})  # fmt: skip
_SLS = {
    "deploy": ("deploy", Effect.WRITE), "remove": ("remove", Effect.DESTROY),
    "rollback": ("rollback", Effect.WRITE), "invoke": ("invoke", Effect.UNKNOWN),
    "dev": ("dev", Effect.WRITE), "refresh": ("refresh", Effect.WRITE),
    "unlock": ("unlock", Effect.WRITE), "shell": ("shell", Effect.UNKNOWN),
    "secret": ("secret", Effect.WRITE), "reconcile": ("reconcile", Effect.WRITE),
}  # fmt: skip
_SLS_READ = frozenset({
    "info", "print", "package", "logs", "metrics", "doctor", "help", "version", "offline",
    "diff", "plugin", "create", "login", "logout", "config", "support", "install", "upgrade",
    "console", "state", "list", "outputs", "build",
})  # fmt: skip


def analyze_serverless(cmd: Command) -> list[Operation]:
    """`serverless`/`sls` and `sst`: deploy or remove a service's stage."""
    args = parse_args(cmd.args, _SLS_VALUE)
    verb = args.pos[0] if args.pos else "help"
    if args.has("--help", "-h", "--version", "-v") or verb in _SLS_READ:
        return [read(cmd, verb)]
    sub = args.pos[1] if len(args.pos) > 1 else ""
    if verb == "deploy" and sub == "list":
        return [read(cmd, "deploy list")]
    if (verb == "invoke" and sub == "local") or (verb == "secret" and sub in ("list", "ls")):
        return [unknown(cmd, "invoke local")] if verb == "invoke" else [read(cmd, "secret list")]
    stage = args.value("--stage", "-s") or cmd.getenv("SST_STAGE")
    region = args.value("--region", "-r")
    profile = args.value("--aws-profile") or cmd.getenv("AWS_PROFILE")
    name = stage or "(default)"
    t = target(
        cmd,
        "serverless-stage",
        name,
        env=env_hint([stage]) or stage,
        region=region,
        profile=profile,
    )
    if verb not in _SLS:
        return [unknown(cmd, verb)]
    action, effect = _SLS[verb]
    tags = ["teardown"] if effect is Effect.DESTROY else []
    if args.has("--force"):
        tags.append("force")
    return [op(cmd, action, effect, [t], tags, f"{cmd.program} {verb} stage `{t.name}`")]


# ---- AWS SAM --------------------------------------------------------------------------------

_SAM_VALUE = frozenset({
    "--stack-name", "--region", "--profile", "--config-env", "--config-file", "-t", "--template",
    "--template-file", "--s3-bucket", "--s3-prefix", "--capabilities", "--parameter-overrides",
    "--image-repository", "--role-arn", "--tags", "--kms-key-id", "--resource-id", "--event",
    "-e", "--env-vars", "-n", "--output", "--base-dir", "--build-dir", "--cached",
})  # fmt: skip
_SAM_READ = frozenset({
    "build", "validate", "init", "package", "list", "logs", "traces", "pipeline", "docs",
    "help", "--version",
})  # fmt: skip


def analyze_sam(cmd: Command) -> list[Operation]:
    args = parse_args(cmd.args, _SAM_VALUE)
    verb = args.pos[0] if args.pos else "help"
    if args.has("--help", "-h", "--version") or verb in _SAM_READ:
        return [read(cmd, verb)]
    stack = args.value("--stack-name") or "(samconfig stack)"
    env = env_hint(
        [args.value("--stack-name"), args.value("--config-env"), args.value("--profile")]
    )
    t = target(cmd, "cloudformation-stack", stack, env=env, region=args.value("--region"),
               profile=args.value("--profile") or cmd.getenv("AWS_PROFILE"))  # fmt: skip
    if verb == "local":
        lt = target(cmd, "sam-local", "local", Tier.LOCAL)
        return [op(cmd, "local", Effect.UNKNOWN, [lt], (), "runs functions locally")]
    if verb == "delete":
        tags = ["teardown"] + (["auto-approve"] if args.has("--no-prompts") else [])
        return [op(cmd, "delete", Effect.DESTROY, [t], tags, f"deletes stack `{stack}`")]
    if verb == "deploy":
        if args.has("--no-execute-changeset"):
            return [read(cmd, "deploy", [t], "dry-run")]
        tags = ["auto-approve"] if args.has("--no-confirm-changeset") else []
        return [op(cmd, "deploy", Effect.WRITE, [t], tags, f"deploys stack `{stack}`")]
    if verb in ("sync", "publish"):
        return [op(cmd, verb, Effect.WRITE, [t], (), f"sam {verb} `{stack}`")]
    return [unknown(cmd, verb)]


# ---- AWS Copilot ----------------------------------------------------------------------------

_COPILOT_VALUE = frozenset({
    "-a", "--app", "-e", "--env", "-n", "--name", "--profile", "--region", "-t", "--type",
    "--tag", "--resource-tags", "-c", "--command", "--image", "--domain", "--cluster",
})  # fmt: skip
_COPILOT_READ = frozenset({
    "ls", "show", "status", "logs", "package", "overview", "version", "docs", "completion",
    "help", "--help",
})  # fmt: skip
_COPILOT_WRITE = frozenset({"deploy", "init", "upgrade", "pause", "resume", "override"})


def analyze_copilot(cmd: Command, ctx: Context) -> list[Operation]:
    args = parse_args(cmd.args, _COPILOT_VALUE)
    noun = args.pos[0] if args.pos else "help"
    verb = args.pos[1] if len(args.pos) > 1 else ""
    if noun in ("deploy", "init", "run"):
        noun, verb = "app", noun
    if args.has("--help", "-h") or noun in _COPILOT_READ or verb in _COPILOT_READ:
        return [read(cmd, f"{noun} {verb}".strip())]
    env = args.value("-e", "--env")
    name = args.value("-n", "--name") or (args.pos[2] if len(args.pos) > 2 else None)
    name = name or (env if noun == "env" else args.value("-a", "--app")) or f"({noun})"
    hint = env_hint([env, name if noun in ("env", "app") else None])
    t = target(cmd, f"copilot-{noun}", name, env=hint or env, profile=args.value("--profile"))
    if verb == "delete":
        tags = ["teardown"] + (["auto-approve"] if args.has("--yes") else [])
        return [op(cmd, f"{noun}-delete", Effect.DESTROY, [t], tags, f"deletes {noun} `{name}`")]
    command = args.value("-c", "--command")
    if verb in ("exec", "run") and command:
        inner = ctx.shell(command, replace(cmd, host=f"{env}/{name}" if env else name))
        return inner or [
            op(cmd, f"{noun}-{verb}", Effect.UNKNOWN, [t], (), f"runs a command in {noun}")
        ]
    if verb in ("exec", "run"):
        return [op(cmd, f"{noun}-{verb}", Effect.UNKNOWN, [t], (), f"runs a command in {noun}")]
    if verb in _COPILOT_WRITE:
        return [op(cmd, f"{noun}-{verb}", Effect.WRITE, [t], (), f"{noun} {verb} `{name}`")]
    return [unknown(cmd, f"{noun} {verb}".strip())]
