"""HTTP clients: curl, wget, httpie (`http`/`https`), xh, curlie, grpcurl, websocat.

Each request becomes one `http` operation (see `http_url.request_op`); a response saved to a file
(`curl -o f`, `wget URL`) is also a local `filesystem` write. `curl … | sh` is the walker's
business: curl itself only reads.
"""

from __future__ import annotations

import re

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse import lexicon
from interlock.parse.args import parse_args
from interlock.parse.lexicon import words
from interlock.parse.tools import Context, http_api
from interlock.parse.tools.http_url import LOOPBACK, Request, normalize_url, request_op

_CURL_VALUE = words(
    "-X --request -d --data --data-raw --data-binary --data-urlencode --data-ascii --json "
    "-F --form --form-string -T --upload-file -H --header -o --output -u --user -A "
    "--user-agent -e --referer -b --cookie -c --cookie-jar -K --config -x --proxy -U "
    "--proxy-user -w --write-out -m --max-time --connect-timeout -r --range -E --cert "
    "--key --cacert --capath --cert-type --key-type --pass --url --resolve --connect-to "
    "--retry --retry-delay --retry-max-time -y --speed-time -Y --speed-limit --limit-rate "
    "--max-filesize --max-redirs -z --time-cond --interface --local-port --dns-servers -C "
    "--continue-at --ciphers --tls-max --oauth2-bearer --aws-sigv4 --unix-socket "
    "--abstract-unix-socket --request-target -t --telnet-option -Q --quote --mail-from "
    "--mail-rcpt --trace --trace-ascii --stderr --variable -D --dump-header --output-dir "
    "--netrc-file --proto --proto-redir --noproxy --preproxy --pubkey --proxy-header "
    "--proxy-user --doh-url --etag-save --etag-compare --alt-svc --hsts "
    "--expect100-timeout --keepalive-time --create-file-mode --proxy-cacert --proxy-cert "
    "--proxy-key --socks5 --socks5-hostname -P --ftp-port --ftp-method "
    "--retry-all-errors-delay --url-query --ech"
)
_CURL_DATA = (
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "--data-ascii",
    "--json",
    "-F",
    "--form",
    "--form-string",
)
_FTP_DESTROY = re.compile(r"^[-+*]?\s*(DELE|RMD|rm|rmdir|XRMD)\b", re.IGNORECASE)
_WGET_VALUE = words(
    "-O --output-document -o --output-file -a --append-output -P --directory-prefix "
    "--method --body-data --body-file --post-data --post-file --header -U --user-agent "
    "--user --password -e --execute -i --input-file -B --base -t --tries -T --timeout -w "
    "--wait -Q --quota -l --level -A --accept -R --reject -D --domains --exclude-domains "
    "-I -X --referer --load-cookies --save-cookies --limit-rate --bind-address "
    "--ca-certificate --certificate --private-key --http-user --http-password "
    "--content-disposition-file"
)
_HTTPIE_VALUE = words(
    "-a --auth -A --auth-type -o --output --session --session-read-only --verify --cert "
    "--cert-key --proxy --timeout -p --print --pretty -s --style --format-options "
    "--max-redirects --boundary --response-charset --response-mime --default-scheme --ssl "
    "--ciphers -P --history-print --unix-socket --bearer --http-version -X --request -H "
    "--header -d --data"
)
_HTTPIE_ITEM = re.compile(r"^[^=:@/]*?(:=@|:=|==|=@|@|=|:)")
_GRPC_VALUE = words(
    "-d -H -rpc-header -reflect-header -import-path -proto -protoset -cert -key -cacert "
    "-servername -authority -max-time -connect-timeout -keepalive-time -max-msg-sz "
    "-format -user-agent -protoset-out -format-error -unix"
)
_METHODS = words("GET HEAD POST PUT PATCH DELETE OPTIONS PURGE TRACE")


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    prog = cmd.program
    if prog == "wget":
        return _wget(cmd)
    if prog == "grpcurl":
        return [_grpcurl(cmd)]
    if prog == "websocat":
        return _websocat(cmd)
    if prog in ("http", "https", "httpie", "xh", "xhs", "curlie"):
        return _httpie(cmd)
    return _curl(cmd)


def _help(cmd: Command) -> list[Operation]:
    return [
        Operation(
            family="http",
            action="help",
            effect=Effect.READ,
            program=cmd.program,
            summary=f"shows help for `{cmd.program}`",
            text=cmd.text,
            via=cmd.via,
        )
    ]


def _curl(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _CURL_VALUE, bundle=True)
    if a.has("-h", "--help", "-V", "--version", "-M", "--manual"):
        return _help(cmd)
    urls = a.values("--url") + [p for p in a.pos + a.after_dashdash if p]
    body = " ".join(a.values(*_CURL_DATA))
    method = (a.value("-X", "--request") or "").upper()
    if not method:
        if a.has("-I", "--head"):
            method = "HEAD"
        elif a.has("-G", "--get"):
            method = "GET"
        elif a.has("-T", "--upload-file"):
            method = "PUT"
        elif a.has(*_CURL_DATA):
            method = "POST"
        else:
            method = "GET"
    tags = {"insecure"} if a.has("-k", "--insecure") else set()
    if any("docker" in v for v in a.values("--unix-socket")):
        tags.add("docker-socket")
    env = http_api.secret_key_env(a.values("-u", "--user", "-H", "--header", "--oauth2-bearer"))
    ops = [request_op(cmd, Request(method, u, body, set(tags), env)) for u in urls[:8]]
    if any(_FTP_DESTROY.match(q) for q in a.values("-Q", "--quote")):
        ops = [_as_destroy(o, "ftp-delete") for o in ops]
    for out in a.values("-o", "--output"):
        ops.extend(_saved(cmd, out))
    if a.has("-O", "--remote-name", "--remote-name-all"):
        ops.extend(_saved(cmd, _basename(urls[0]) if urls else "index.html"))
    return ops or [_unknown(cmd, "runs curl with no URL we could read")]


def _wget(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _WGET_VALUE, bundle=True)
    if a.has("-h", "--help", "-V", "--version"):
        return _help(cmd)
    urls = [p for p in a.pos + a.after_dashdash if p]
    body = " ".join(a.values("--post-data", "--body-data"))
    method = (a.value("--method") or "").upper()
    if not method:
        method = "POST" if a.has("--post-data", "--post-file") else "GET"
    tags = {"recursive"} if a.has("-r", "--recursive", "-m", "--mirror") else set()
    env = http_api.secret_key_env(a.values("--header", "--user", "--password", "--http-user"))
    ops = [request_op(cmd, Request(method, u, body, set(tags), env)) for u in urls[:8]]
    if a.has("--spider", "--delete-after"):
        return ops or [_unknown(cmd, "runs wget with no URL")]
    out = a.value("-O", "--output-document")
    if out is not None:
        ops.extend(_saved(cmd, out))
    elif urls:
        prefix = a.value("-P", "--directory-prefix")
        name = _basename(urls[0])
        ops.extend(_saved(cmd, f"{prefix.rstrip('/')}/{name}" if prefix else name, tags))
    return ops or [_unknown(cmd, "runs wget with no URL")]


def _httpie(cmd: Command) -> list[Operation]:
    a = parse_args(
        cmd.args, _HTTPIE_VALUE | _CURL_VALUE if cmd.program == "curlie" else _HTTPIE_VALUE
    )
    if a.has("-h", "--help", "--version", "--manual"):
        return _help(cmd)
    pos = [p for p in a.pos + a.after_dashdash if p]
    method = (a.value("-X", "--request") or "").upper()
    if pos and pos[0].upper() in _METHODS and len(pos) > 1:
        method = method or pos[0].upper()
        pos = pos[1:]
    if not pos:
        return [_unknown(cmd, f"runs `{cmd.program}` with no URL")]
    url, items = pos[0], pos[1:]
    if cmd.program == "https" and "://" not in url:
        url = "https://" + url
    data = [
        i
        for i in items
        if (m := _HTTPIE_ITEM.match(i)) and m.group(1) in ("=", ":=", "@", "=@", ":=@")
    ]
    body = " ".join(items) + " " + " ".join(a.values("-d", "--data", "--raw"))
    if not method:
        method = "POST" if data or a.has("--raw", "-d", "--data", "-f", "--form") else "GET"
    env = http_api.secret_key_env([*items, *a.values("-a", "--auth", "--bearer", "-H")])
    tags = {"docker-socket"} if any("docker" in v for v in a.values("--unix-socket")) else set()
    req = Request(method, url, body, tags, env)
    if a.has("--offline"):
        return [_as_read(request_op(cmd, req), "offline")]
    ops = [request_op(cmd, req)]
    out = a.value("-o", "--output")
    if out:
        ops.extend(_saved(cmd, out))
    elif a.has("--download") or (cmd.program != "curlie" and a.has("-d") and not a.value("-d")):
        ops.extend(_saved(cmd, _basename(url)))
    return ops


def _grpcurl(cmd: Command) -> Operation:
    args = [("-" + x.lstrip("-")) if x.startswith("--") else x for x in cmd.args]
    a = parse_args(args, _GRPC_VALUE)
    if a.has("-help", "-h", "-version"):
        return _help(cmd)[0]
    pos = [p for p in a.pos if p]
    address = pos[0] if pos else ""
    verb = pos[1] if len(pos) > 1 else ""
    host = address.rsplit(":", 1)[0] if ":" in address else address
    if verb in ("list", "describe") or not verb:
        effect, action = Effect.READ, verb or "list"
    else:
        method = re.split(r"[/.]", verb)[-1]
        effect = lexicon.classify(method) or Effect.UNKNOWN
        action = lexicon.verb_of(method) if effect is not Effect.UNKNOWN else method.lower()
    scope = {"host": cmd.host} if cmd.host else {"host": host, "url": address}
    target = Target.make("grpc-method", verb or address, **scope)
    return Operation(
        family="http",
        action=action,
        effect=effect,
        program=cmd.program,
        targets=(target,),
        tags=frozenset({"grpc"}),
        summary=f"gRPC call `{verb or 'list'}` on `{address}`",
        text=cmd.text,
        via=cmd.via,
    )


def _websocat(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, frozenset({"-H", "--header", "--protocol", "--origin"}))
    if a.has("-h", "--help", "--version", "-V"):
        return _help(cmd)
    urls = [p for p in a.pos if "://" in p]
    ops = [request_op(cmd, Request("CONNECT", u)) for u in urls[:2]]
    return ops or [_unknown(cmd, "opens a websocket")]


def _saved(cmd: Command, path: str, tags: set[str] | None = None) -> list[Operation]:
    """The local file a download writes (`-o -` and `/dev/null` write nothing)."""
    if path in ("-", "/dev/null", "/dev/stdout", "/dev/stderr", "") or path.startswith("/dev/fd"):
        return []
    try:
        from interlock.parse.tools.fs import redirect_operation  # type: ignore[attr-defined]

        found = redirect_operation(">", path, cmd)
        if found is not None:
            return [found.with_tags(*(tags or ()))]
    except ImportError:
        pass
    local = not cmd.host and (not path.startswith(("/", "~")) or path.startswith("/tmp/"))
    tier = Tier.LOCAL if local else Tier.UNKNOWN
    target = Target.make("file", path, tier=tier, host=cmd.host)
    return [
        Operation(
            family="filesystem",
            action="write",
            effect=Effect.WRITE,
            program=cmd.program,
            targets=(target,),
            tags=frozenset(tags or ()),
            summary=f"saves the response to `{path}`",
            text=cmd.text,
            via=cmd.via,
        )
    ]


def _basename(url: str) -> str:
    path = normalize_url(url).split("?", 1)[0].split("#", 1)[0]
    tail = path.rstrip("/").rsplit("/", 1)[-1]
    return tail if "/" in path.split("://", 1)[-1] and tail else "index.html"


def _unknown(cmd: Command, summary: str) -> Operation:
    return Operation(
        family="http",
        action="request",
        effect=Effect.UNKNOWN,
        program=cmd.program,
        summary=summary,
        text=cmd.text,
        via=cmd.via,
    )


def _as_destroy(op: Operation, action: str) -> Operation:
    from dataclasses import replace

    return replace(op, effect=Effect.DESTROY, action=action)


def _as_read(op: Operation, tag: str) -> Operation:
    from dataclasses import replace

    return replace(op, effect=Effect.READ, tags=op.tags | {tag})


__all__ = ["LOOPBACK", "analyze"]
