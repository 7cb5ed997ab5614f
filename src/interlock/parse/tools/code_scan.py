"""Cheap scans of inline code (`python -c`, `node -e`, `ruby -e` …) for well-known calls.

No parser: compiled patterns find shell-outs with a literal command (handed back to the shell
walker), file deletions (`shutil.rmtree`, `fs.rmSync`, `FileUtils.rm_rf`), SDK deletions
(boto3 `.delete_bucket(`, kubernetes `delete_namespace(`, `.dropDatabase()`), HTTP calls
(`requests.delete(`), SQL execution, and obfuscation (`exec(`, `eval(`, `b64decode`). Code with
none of those and no other I/O-ish call is a read (`print(sys.version)`).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from interlock.model import Effect
from interlock.parse.tools.code_sdk import call_name
from interlock.parse.tools.code_sdk_paths import home_path

_Q = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]*)`)"""

_SHELL_FNS = {
    "py": r"os\.system|os\.popen|__import__\(\s*['\"](?:os|subprocess)['\"]\s*\)\.\w+|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|"
    r"getstatusoutput)|commands\.getoutput|pty\.spawn",
    "js": r"child_process\.(?:exec|execSync)|execSync|exec|execa(?:Sync|Command)?|shell\.exec",
    "rb": r"system|exec|spawn|Open3\.\w+|IO\.popen|Kernel\.system",
    "pl": r"system|exec|qx",
    "php": r"system|exec|shell_exec|passthru|popen|proc_open",
    "lua": r"os\.execute|io\.popen",
    "r": r"system2?|shell",
    "osa": r"do shell script",
    "groovy": r"Runtime\.getRuntime\(\)\.exec",
    "jl": r"run",
    "tcl": r"exec",
    "ps": r"Start-Process|cmd\s*/c|bash\s+-c|sh\s+-c",
}
SHELL_CALLS = {
    lang: re.compile(r"(?<!\w)(?:" + fns + r")\s*[({]?\s*" + _Q) for lang, fns in _SHELL_FNS.items()
}
_GROOVY_EXECUTE = re.compile(_Q + r"\.execute\(\)")
_ARRAY_CALL = re.compile(
    r"(?:subprocess\.\w+|spawnSync|spawn|execFileSync|execFile|Popen|Bun\.spawn(?:Sync)?|"
    r"system|exec|os\.(?:exec|spawn)\w*\s*\([^\[\],]*,)\s*\(?\s*\[([^\]]*)\]"
)
_NODE_SPAWN = re.compile(
    r"(?:spawnSync|spawn|execFileSync|execFile)\s*\(\s*" + _Q + r"\s*,\s*\[([^\]]*)\]"
)
# `system("rm", "-rf", "/x")`, `exec "git", "push"`: a program and its words as separate literals
_MULTI_ARG = re.compile(
    r"(?<![\w.])(?:system|exec|spawn|Process\.spawn|Kernel\.system|pcntl_exec)\s*\(?\s*"
    r"((?:" + _Q + r"\s*,\s*)+" + _Q + r")"
)
_BACKTICKS = re.compile(r"`([^`]+)`")  # ruby/perl/php/bun `$`
_JS_TEMPLATE_SHELL = re.compile(r"(?:\bBun\.|\b)\$\s*`([^`]+)`")  # Bun.$`…`, zx $`…`
_ITEM = re.compile(_Q)

_FS_DELETE = re.compile(
    r"(?P<fn>shutil\.rmtree|os\.remove|os\.unlink|os\.rmdir|os\.removedirs|\.unlink|\.rmdir|"
    r"\.rmSync|\.rmdirSync|\.unlinkSync|fs\.rm|fs\.promises\.rm|fsPromises\.rm|fs\.unlink|"
    r"fs\.rmdir|fse?\.removeSync|fse?\.remove|fse?\.emptyDirSync|rimraf(?:\.sync)?|"
    r"FileUtils\.(?:rm_rf|rm_r|rm_f|remove_dir|remove_entry(?:_secure)?|rmtree|rm)|File\.delete|"
    r"\.rm(?=\s*\()|"
    r"Dir\.rmdir|rmtree|remove_tree|unlink|Deno\.removeSync|Deno\.remove|file\.remove|"
    r"os\.remove|rm)(?:\s*\(\s*|\s+)(?:(?:pathlib\.)?Path\(\s*|glob\s*\(?\s*)?"
    r"(?:" + _Q + r"|(?P<expr>[\w.~$@\['\"][\w.~$@\[\]'\"()]*))?"
)
# `array_map("unlink", glob("/x/*"))`, `map { unlink } glob "/x/*"`: a delete applied to a glob.
_GLOB_DELETE = re.compile(r"['\"]?unlink['\"]?[\s,}]+glob\s*\(?\s*" + _Q)
_RECURSIVE = re.compile(
    r"rmtree|rm_rf|rm_r\b|recursive\s*[:=]\s*true|remove_tree|-Recurse|"
    r"rimraf|removeSync|remove_dir|remove_entry",
    re.IGNORECASE,
)
_FS_WRITE = re.compile(
    r"open\s*\([^)]*,\s*['\"][wax+]|\.write_text\(|\.write_bytes\(|writeFileSync|"
    r"fs\.writeFile|appendFileSync|File\.write|IO\.write|shutil\.(?:move|copy\w*)|"
    r"os\.(?:rename|replace|makedirs|mkdir|chmod|chown|symlink|link)|fs\.(?:rename|copyFile|"
    r"mkdir|chmod)\w*|file_put_contents|Set-Content|Out-File|Add-Content|\.mkdir\(|\.touch\(|"
    r"Bun\.write|Deno\.write\w*|fwrite|File\.open\([^)]*['\"][wa]"
)
_HTTP = re.compile(
    r"(?:requests|httpx|session|client|axios|got|ky|superagent|http|Faraday|HTTParty|"
    r"RestClient|Net::HTTP)\.(get|head|options|post|put|patch|delete|request)\s*\(\s*"
    r"(?:['\"](GET|POST|PUT|PATCH|DELETE|HEAD)['\"]\s*,\s*)?(?:" + _Q + r")?",
    re.IGNORECASE,
)
_FETCH = re.compile(r"\bfetch\s*\(\s*(?:" + _Q + r")?([^)]{0,300})")
_FETCH_METHOD = re.compile(r"method\s*:\s*['\"](\w+)['\"]", re.IGNORECASE)
_URLOPEN = re.compile(r"urlopen\s*\(|urllib\.request|Invoke-WebRequest|Invoke-RestMethod")

_SDK_AWS = re.compile(
    r"\.(delete_\w+|terminate_\w+|remove_\w+|purge_\w+|deregister_\w+|delete_objects|"
    r"empty_bucket|cancel_\w+)\s*\(|objects\.all\(\)\.delete\(\)|object_versions\.\w+\(\)\.delete\(\)|"
    r"new\s+(Delete\w+|Terminate\w+|Remove\w+|Purge\w+|Deregister\w+)Command\s*\("
)
_SDK_K8S = re.compile(
    r"\b(delete_namespace|delete_namespaced_\w+|delete_collection_\w+|"
    r"delete_\w+|deleteNamespace\w*|deleteNamespaced\w+|deleteCollection\w+)\s*\("
)
_SDK_GENERIC = re.compile(
    r"(?:\.|::)(drop_database|drop_collection|drop_all|dropDatabase|dropCollection|drop|flushall|"
    r"flushdb|flushAll|flushDb|deleteMany|delete_many|truncate|destroy_all|delete_all|"
    r"destroyAll|deleteAll|truncate_table|remove_all|purge|del)\s*\(\s*(\{\s*\})?"
)
# Ruby calls need no parentheses: `User.destroy_all`, `Post.where(x).delete_all`.
_ORM_BARE = re.compile(
    r"\.(destroy_all|delete_all|truncate_all|drop_table|flushall|flushdb)\b(?!\s*\()"
)
_CAMEL_DESTROY = re.compile(
    r"\.((?:delete|destroy|drop|purge|terminate|truncate|wipe|erase|deregister)[A-Z]\w*)\s*\("
)
_SNAKE_DESTROY = re.compile(
    r"\.((?:begin_)?(?:delete|destroy|drop|purge|terminate|truncate|wipe|erase|deregister|revoke)"
    r"_\w+|begin_delete)\s*\("
)
_BARE_DELETE = re.compile(r"\.(delete|destroy|remove)\s*\(\s*\)|\.(delete|destroy)\s*\(")
_SDK_CONTEXT = re.compile(
    r"google|azure|stripe|github|gitlab|objects|bucket|client|api|boto|resource", re.IGNORECASE
)
_SQL_CALL = re.compile(
    r"(?:execute|executescript|executemany|exec|query|raw|sql|run|prepare|do|selectall_\w+|"
    r"selectrow_\w+|\$queryRaw|"
    r"\$executeRaw|\$executeRawUnsafe)\s*\(?\s*(?:(?:sa\.|sqlalchemy\.)?text\(\s*)?(?:[fr]?)" + _Q
)
_SQL_HEAD = re.compile(
    r"^\s*(DROP|TRUNCATE|DELETE|ALTER|UPDATE|INSERT|CREATE|GRANT|REVOKE|"
    r"SELECT|SHOW|DESCRIBE|EXPLAIN|WITH|REPLACE|MERGE)\b",
    re.IGNORECASE,
)
_OBFUSCATED = re.compile(
    r"\b(?:exec|eval|compile|__import__|b64decode|a2b_base64|fromCharCode|atob|unhexlify|"
    r"Function|Invoke-Expression|iex|-EncodedCommand|marshal\.loads|pickle\.loads|"
    r"instance_eval|class_eval|send|constantize|decode_base64|base64_decode|gzinflate|"
    r"str_rot13|create_function|assert)\s*\(|codecs\.decode\([^)]*rot|\bimportlib\.import_module|"
    r"getattr\(\s*__builtins__|\bglobals\(\)\s*\[|\beval\s+['\"$]|\biex\b|"
    r"Buffer\.from\([^)]*base64|^-EncodedCommand\b|\.then\(\s*(?:eval|Function)\s*\)"
)
_IO_ISH = re.compile(
    r"\b(?:os|subprocess|shutil|socket|pathlib|Path|urllib|requests|httpx|aiohttp|boto3|"
    r"botocore|google\.cloud|azure|kubernetes|paramiko|fabric|psycopg\w*|pymysql|MySQLdb|"
    r"sqlite3|sqlalchemy|redis|pymongo|ctypes|pty|pickle|marshal|webbrowser|smtplib|ftplib|"
    r"telnetlib|tempfile|child_process|fs|net|dgram|cluster|worker_threads|File|Dir|IO|"
    r"FileUtils|Open3|Net|Deno|Bun|process\.kill|process\.exit|open|unlink|system|exec|"
    r"spawn|fork|kill|Kernel|Process|DBI|LWP|mysqli|PDO|curl_exec|fopen|fwrite|mail|"
    r"setTimeout|require|import\s*\()\b"
)
_SAFE_OS = re.compile(
    r"\bos\.(?:path\.\w+|environ\b(?:\.get)?|getcwd|getenv|listdir|cpu_count|"
    r"getpid|getppid|sep|name|linesep|uname|get_terminal_size|getlogin|"
    r"getuid|geteuid|pathsep|curdir|devnull|stat|scandir|walk|access)\b"
)
_SAFE_REQUIRE = re.compile(
    r"require\(\s*['\"](?:os|path|util|url|crypto|assert|events|"
    r"querystring|string_decoder|./package\.json|\w+/package\.json)['\"]\s*\)"
)
_SAFE_PATH = re.compile(
    r"\b(?:Path|pathlib\.Path)(?:\.cwd|\.home)?\([^)]*\)\.(?:exists|is_file|"
    r"is_dir|resolve|read_text|read_bytes|name|suffix|stem|parent|glob|"
    r"iterdir|stat|absolute)\b|\bimport pathlib\b|\bfrom pathlib import Path\b"
)
_SAFE_FS = re.compile(
    r"\b(?:const|let|var)\s+fs\s*=\s*|\bfs\.(?:readFileSync|existsSync|readdirSync|statSync|lstatSync|"
    r"readFile|readdir|stat|access|accessSync|realpathSync)\b|"
    r"require\(\s*['\"]fs['\"]\s*\)|\bFile\.(?:read|exist\w*|basename|dirname|"
    r"join|expand_path|file\?|directory\?|readlines)\b|\bDir\.(?:pwd|glob|"
    r"entries|children|exist\w*|home)\b|\bopen\s*\(\s*[^,()]+\)|"
    r"\bopen\s*\([^,()]+,\s*['\"]r[bt]?['\"]\s*\)"
)

SYSTEM_PATHS = (
    "/etc",
    "/usr",
    "/var",
    "/bin",
    "/sbin",
    "/boot",
    "/lib",
    "/lib64",
    "/opt",
    "/sys",
    "/proc",
    "/dev",
    "/root",
    "/srv",
    "/System",
    "/Library",
    "/Applications",
    "C:\\Windows",
    "C:\\",
)
_HOME_EXPR = re.compile(
    r"~|\$HOME|expanduser|Path\.home|homedir|ENV\[.HOME.\]|"
    r"environ\[.HOME.\]|getenv\(.HOME.\)|\$env:USERPROFILE|Dir\.home|\$ENV\{HOME\}|"
    r"process\.env\.HOME"
)


@dataclass(slots=True)
class Finding:
    kind: str  # shell | fs-delete | fs-write | http | sdk | sql | obfuscated
    effect: Effect
    action: str
    name: str = ""
    family: str = "code"
    tags: set[str] = field(default_factory=set)
    extra: str = ""  # http method, or the sql text


def literal(m: re.Match[str], start: int = 1) -> str | None:
    for g in range(start, start + 3):
        value = m.group(g)
        if value is not None:
            return value.replace("\\'", "'").replace('\\"', '"').replace("\\n", "\n")
    return None


def shell_commands(code: str, lang: str) -> list[str]:
    """Shell command strings a piece of code runs, when they are literals."""
    out: list[str] = []
    if lang == "groovy":
        out.extend(literal(m) or "" for m in _GROOVY_EXECUTE.finditer(code))
    for m in _ARRAY_CALL.finditer(code):
        words = [literal(i) or "" for i in _ITEM.finditer(m.group(1))]
        if words:
            out.append(shlex.join(words))
    for m in _NODE_SPAWN.finditer(code):
        words = [literal(m) or ""] + [literal(i) or "" for i in _ITEM.finditer(m.group(4))]
        out.append(shlex.join(words))
    if lang == "js":
        out.extend(m.group(1) for m in _JS_TEMPLATE_SHELL.finditer(code))
    if lang in ("rb", "pl", "php"):
        for m in _MULTI_ARG.finditer(code):
            out.append(shlex.join(literal(i) or "" for i in _ITEM.finditer(m.group(1))))
    pattern = SHELL_CALLS.get(lang)
    for m in pattern.finditer(code) if pattern else ():
        text = literal(m)
        if text and not _is_listed(text, out):
            out.append(text)
    return out[:16]


def _is_listed(text: str, found: list[str]) -> bool:
    try:
        first = shlex.split(text)[:1]
    except ValueError:
        return False
    return any(f.split(" ", 1)[0] == (first[0] if first else "") for f in found) and " " not in text


def backtick_commands(code: str) -> list[str]:
    return [m.group(1) for m in _BACKTICKS.finditer(code)][:8]


def path_tags(path: str, expr: str = "") -> set[str]:
    tags: set[str] = set()
    p = path.strip()
    if p in ("/", "/*", "C:\\", "C:/") or (expr and expr.strip("'\"") == "/"):
        tags.add("root-path")
    elif p.startswith(SYSTEM_PATHS) or p.rstrip("/") in SYSTEM_PATHS:
        tags.add("system-path")
    if _HOME_EXPR.search(p or expr) or (p.startswith(("/home/", "/Users/")) and p.count("/") <= 3):
        tags.add("home-path")
    if "*" in p:
        tags.add("wildcard")
    return tags


def fs_deletes(code: str) -> list[Finding]:
    out: list[Finding] = []
    recursive = bool(_RECURSIVE.search(code))
    for m in _FS_DELETE.finditer(code):
        fn = m.group("fn")
        if fn in ("rm", "unlink") and not _callish(code, m):
            continue
        path = literal(m, 2)
        expr = m.group("expr") or ""
        home = home_path(code[m.end("fn") :], path)
        if home is not None:
            path, expr = home, ""
        tags = path_tags(path or "", expr)
        if path is None:
            tags.add("dynamic-target")
        if recursive and fn not in ("os.remove", "os.unlink", ".unlink", ".unlinkSync"):
            tags.add("recursive")
        out.append(Finding("fs-delete", Effect.DESTROY, "delete", path or expr, "filesystem", tags))
    for m in _GLOB_DELETE.finditer(code):
        path = literal(m) or ""
        if not any(f.name == path for f in out):
            tags = path_tags(path) | {"wildcard"}
            out.append(Finding("fs-delete", Effect.DESTROY, "delete", path, "filesystem", tags))
    return out[:8]


def _callish(code: str, m: re.Match[str]) -> bool:
    """`rm(` / `unlink(` as a function call, not inside a word like `confirm(`."""
    start = m.start("fn")
    return (
        start == 0 or not (code[start - 1].isalnum() or code[start - 1] in "_.")
    ) and "(" in m.group(0)


def fs_writes(code: str) -> list[Finding]:
    return (
        [Finding("fs-write", Effect.WRITE, "write", "", "filesystem")]
        if _FS_WRITE.search(code)
        else []
    )


def http_calls(code: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _HTTP.finditer(code):
        method = (m.group(2) or m.group(1)).upper()
        method = "GET" if method == "REQUEST" else method
        out.append(
            Finding("http", Effect.READ, method.lower(), literal(m, 3) or "", "http", extra=method)
        )
    for m in _FETCH.finditer(code):
        mm = _FETCH_METHOD.search(m.group(4) or "")
        method = mm.group(1).upper() if mm else "GET"
        out.append(
            Finding("http", Effect.READ, method.lower(), literal(m) or "", "http", extra=method)
        )
    if not out and _URLOPEN.search(code):
        method = "POST" if re.search(r"data\s*=|-Method\s+(Post|Put)", code, re.I) else "GET"
        if re.search(r"method\s*=\s*['\"]DELETE|-Method\s+Delete", code, re.I):
            method = "DELETE"
        out.append(Finding("http", Effect.READ, method.lower(), "", "http", extra=method))
    return out[:8]


def _named(code: str, m: re.Match[str], f: Finding) -> Finding:
    f.name = call_name(code, m.start(), m.end())
    return f


def sdk_calls(code: str) -> list[Finding]:
    out: list[Finding] = []
    aws = "boto3" in code or "aws-sdk" in code or "@aws-sdk" in code or "Aws::" in code
    k8s = "kubernetes" in code or "k8s" in code.lower() or "CoreV1Api" in code
    if aws:
        for m in _SDK_AWS.finditer(code):
            action = (m.group(1) or m.group(2) or "delete").lower()
            out.append(_named(code, m, Finding("sdk", Effect.DESTROY, action, "", "aws")))
    if k8s:
        for m in _SDK_K8S.finditer(code):
            tags = {"all"} if "collection" in m.group(1).lower() else set()
            found = Finding("sdk", Effect.DESTROY, m.group(1), "", "kubernetes", tags)
            out.append(_named(code, m, found))
    for m in _SDK_GENERIC.finditer(code):
        tags = (
            {"all"}
            if m.group(2)
            or m.group(1).lower()
            in ("flushall", "drop_all", "destroy_all", "delete_all", "destroyall", "deleteall")
            else set()
        )
        out.append(_named(code, m, Finding("sdk", Effect.DESTROY, m.group(1), "", "code", tags)))
    for m in _ORM_BARE.finditer(code):
        all_rows = {"all"} if m.group(1) not in ("drop_table", "flushdb") else set()
        out.append(Finding("sdk", Effect.DESTROY, m.group(1), "", "code", all_rows))
    if not out:
        for pat in (_CAMEL_DESTROY, _SNAKE_DESTROY):
            for m in pat.finditer(code):
                out.append(_named(code, m, Finding("sdk", Effect.DESTROY, m.group(1), "", "code")))
        http = {m.start(1) - 1 for m in _HTTP.finditer(code)}
        bare = [m for m in _BARE_DELETE.finditer(code) if m.start() not in http]
        if not out and bare and _SDK_CONTEXT.search(code):
            found = Finding("sdk", Effect.DESTROY, "delete", "", "code")
            out.append(_named(code, bare[0], found))
    return out[:8]


def sql_calls(code: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _SQL_CALL.finditer(code):
        text = literal(m) or ""
        head = _SQL_HEAD.match(text)
        if head:
            out.append(
                Finding("sql", Effect.UNKNOWN, head.group(1).lower(), "", "database", extra=text)
            )
    return out[:8]


def obfuscated(code: str) -> bool:
    # `client.send(new XCommand(…))` is the AWS SDK's call, not Ruby's dynamic `send`
    return bool(_OBFUSCATED.search(code.replace(".send(new ", ".dispatch(new ")))


def osa_destroys(code: str) -> bool:
    return bool(re.search(r"\bdelete\b|\bempty\b[^\n]*\btrash\b|\berase\b", code, re.I))
