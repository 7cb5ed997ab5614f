"""Walk a shell command line and find every simple command that would run.

`analyze_shell(text, …)` parses `text` with tree-sitter-bash, walks the whole tree — lists,
pipelines, subshells, command and process substitution, functions defined and called in the
same line, `if/for/while/case`, heredocs and here-strings — peels wrappers and nested shells
(`interlock.parse.unwrap`) and hands each command to its tool analyzer. It answers the
operations found, in the order they would run.

Budget: the walk has a deadline and a nesting limit; past either it raises `BudgetExceeded`
(`interlock.parse.shell_parse`), which the caller turns into a fail-closed decision.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from interlock.model import Command, Operation
from interlock.parse import expand, unwrap
from interlock.parse.pipes import found_paths, known_stdout, origin_tags
from interlock.parse.shell_consumer import feeds_xargs, reads_code
from interlock.parse.shell_group import group_output, settle_exec
from interlock.parse.shell_heredoc import dash_before_heredoc, inline_heredocs
from interlock.parse.shell_loops import (
    CONTAINERS,
    SUBSTITUTIONS,
    loop_input,
    walk_for,
    walk_read_loop,
)
from interlock.parse.shell_parse import Budget, BudgetExceeded, parse_tree
from interlock.parse.shell_scope import (
    Scope,
    assign,
    bare_command,
    positional,
    script_scope,
    static_args,
)
from interlock.parse.shell_support import (
    cd,
    command_words,
    export_op,
    guessed_program,
    in_environment,
    init_script,
    on_host,
    origins,
    procsub_node,
    redirect_pairs,
    redirect_parts,
    remember_files,
    remember_selection,
    script_key,
    special_op,
    stdin_of,
    written_script,
)
from interlock.parse.unwrap_build import prints_shell_setup
from interlock.parse.unwrap_secrets import named_envs
from interlock.parse.words import list_words, node_text

Node = Any

MAX_DEPTH = 24  # nested shells (`bash -c "bash -c …"`) and function calls
MAX_NEST = 400  # syntax nesting
__all__ = ["Budget", "BudgetExceeded", "analyze_shell"]
_OUTPUT_REDIRECTS = frozenset({">", ">|", ">>", "&>", "&>>", ">&"})


def analyze_shell(
    text: str,
    env: Iterable[tuple[str, str]] = (),
    budget: Budget | None = None,
    depth: int = 0,
    host: str | None = None,
    via: tuple[str, ...] = (),
) -> list[Operation]:
    """Every operation `text` would perform, in order."""
    budget = budget or Budget(deadline=time.perf_counter() + 0.25)
    scope = Scope(env=list(env), host=host, via=via)
    walker = _Walker(budget, depth)
    walker.run(text, scope)
    return walker.ops


class _Walker:
    def __init__(self, budget: Budget, depth: int, substitutions: bool = True) -> None:
        self.budget = budget
        self.depth = depth
        self.ops: list[Operation] = []
        # False for code re-read from a dynamic word: its substitutions were walked already
        self.substitutions = substitutions

    # ---- entry points -------------------------------------------------------------------

    def run(self, text: str, scope: Scope) -> None:
        if self.depth > MAX_DEPTH:
            raise BudgetExceeded("the command nests shells too deeply to analyze")
        root = parse_tree(text)
        if root.has_error and expand.has_braces(text):
            # `{rm,-rf,/}` is a command to bash but a syntax error to tree-sitter
            rewritten = expand.expand_brace_words(text)
            if rewritten != text:
                root = parse_tree(rewritten)
        if "<<" in text:
            root, text = inline_heredocs(root, text, parse_tree)
        self._visit(root, scope, None, 0)
        if root.has_error:
            self._special(
                scope,
                "parse-error",
                "has shell syntax that could not be fully parsed",
                ("parse-error",),
                text,
            )

    def nested(
        self,
        text: str,
        cmd: Command,
        dynamic: bool = False,
        args: tuple[str | None, ...] | None = None,
    ) -> list[Operation]:
        """Analyze shell code found inside a command (for `bash -c`, analyzers' callbacks)."""
        found: list[Operation] = []
        if dynamic:
            found.append(
                special_op(
                    cmd,
                    "dynamic-script",
                    "runs shell code built at run time",
                    ("dynamic-code",),
                    cmd.text,
                )
            )
            # and judge the code as written: `eval "rm -rf $HOME"` is still `rm -rf $HOME`
        sub = _Walker(self.budget, self.depth + 1, substitutions=not dynamic)
        sub.run(text, script_scope(cmd, args))
        return found + sub.ops

    # ---- the walk -----------------------------------------------------------------------

    def _visit(self, node: Node, scope: Scope, redirects: Any, nest: int) -> None:
        self.budget.tick()
        if nest > MAX_NEST:
            raise BudgetExceeded("the command nests too deeply to analyze")
        t = node.type
        if t == "command":
            self._command(node, scope, redirects or (), None, nest)
        elif t == "redirected_statement":
            self._redirected(node, scope, nest)
        elif t == "pipeline":
            self._pipeline(node, scope, nest)
        elif t == "subshell":
            sub = scope.child()
            for c in node.named_children:
                self._visit(c, sub, None, nest + 1)
        elif t == "function_definition":
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            if name is not None and body is not None:
                scope.functions[node_text(name)] = body
        elif t == "variable_assignment":
            self._assign(node, scope, nest)
        elif t == "declaration_command":
            self._declaration(node, scope, nest)
        elif t in ("for_statement", "select_statement"):
            walk_for(self, node, scope, nest)
        elif t in SUBSTITUTIONS:
            if not self.substitutions:
                return
            for c in node.named_children:
                self._visit(c, scope.child(), None, nest + 1)
        elif t in CONTAINERS or t == "ERROR":
            for c in node.named_children:
                self._visit(c, scope, None, nest + 1)
        else:
            self._substitutions(node, scope, nest)

    def _substitutions(self, node: Node, scope: Scope, nest: int) -> None:
        """Visit command/process substitutions buried inside words and expansions."""
        if nest > MAX_NEST:
            raise BudgetExceeded("the command nests too deeply to analyze")
        for c in node.named_children:
            if c.type in ("command_substitution", "process_substitution"):
                self._visit(c, scope, None, nest + 1)
            elif c.named_child_count:
                self._substitutions(c, scope, nest + 1)

    def _assign(self, node: Node, scope: Scope, nest: int) -> None:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        self._substitutions(node, scope, nest)
        if name is None:
            return
        assign(scope, node_text(name), node, value)

    def _declaration(self, node: Node, scope: Scope, nest: int) -> None:
        exporting = node_text(node.children[0]) in (
            "export",
            "declare",
            "typeset",
            "local",
            "readonly",
        )
        for c in node.named_children:
            if c.type == "variable_assignment":
                self._assign(c, scope, nest)
                name = c.child_by_field_name("name")
                if exporting and name is not None:
                    key = node_text(name)
                    if key in scope.variables:
                        scope.env.append((key, scope.variables[key]))
            else:
                self._substitutions(c, scope, nest)
        if node_text(node.children[0]) == "export":
            self.ops.append(export_op(node, scope.host, scope.via))

    def _redirected(self, node: Node, scope: Scope, nest: int) -> None:
        body = node.child_by_field_name("body")
        redirects = [c for c in node.named_children if c != body]
        if body is None:
            for r in redirects:
                self._redirect_ops(r, scope, bare_command(node, scope))
            return
        if body.type == "command":
            self._command(body, scope, tuple(redirects), None, nest)
            return
        if body.type == "while_statement":  # `while read f; do …; done <<< /`
            walk_read_loop(self, body, scope, nest, loop_input(redirects, scope.variables))
        else:
            self._visit(body, scope, None, nest + 1)
        for r in redirects:
            self._substitutions(r, scope, nest + 1)
            self._redirect_ops(r, scope, bare_command(node, scope))

    def _pipeline(self, node: Node, scope: Scope, nest: int) -> None:
        stdout: str | None = None
        partial: str | None = None  # the known part of a partly known input
        tags: tuple[str, ...] = ()
        first = True
        stages = node.named_children
        for k, c in enumerate(stages):
            stdin = None if first else (stdout, tags)
            first = False
            consumer = stages[k + 1] if k + 1 < len(stages) else None
            body, reds = c, ()
            if c.type == "redirected_statement" and c.child_by_field_name("body") is not None:
                body = c.child_by_field_name("body")
                reds = tuple(x for x in c.named_children if x != body)
            if body.type == "command":
                cmd = self._command(body, scope, reds, stdin, nest)
                if cmd is not None and partial and reads_code(cmd):
                    self._known_part(cmd, partial, scope)
                stdout, partial = known_stdout(cmd) if cmd is not None else None, None
                tags = origin_tags(cmd, tags) if cmd is not None else ()
                if (
                    cmd is not None
                    and cmd.program == "find"
                    and feeds_xargs(consumer, scope.variables)
                ):
                    stdout = found_paths(cmd)
            elif c.type == "while_statement" and stdin is not None:
                walk_read_loop(self, c, scope.child(), nest, stdout)
                stdout, partial, tags = None, None, ()
            else:
                self._visit(c, scope.child(), None, nest + 1)
                (stdout, partial), tags = group_output(c, scope.variables, consumer), ()

    def _known_part(self, cmd: Command, text: str, scope: Scope) -> None:
        """`(crontab -l; echo 'rm -rf /') | sh`: the shell runs the known part too. `cmd` was
        already judged as reading unknown code; judge it again fed the known part, keeping
        only what that adds."""
        before = len(self.ops)
        self._run(replace(cmd, stdin=text, stdin_piped=False), scope)
        seen = set(self.ops[:before])
        self.ops[before:] = [op for op in self.ops[before:] if op not in seen]

    # ---- one simple command -------------------------------------------------------------

    def _command(
        self,
        node: Node,
        scope: Scope,
        redirects: Any,
        stdin: tuple[str | None, tuple[str, ...]] | None,
        nest: int,
    ) -> Command | None:
        argv, dynamic, env = command_words(node, scope.variables, redirects)
        sub = procsub_node(node, redirects, argv)
        for c in (*node.named_children, *redirects):
            if sub is not None and (c == sub or c == sub.parent):
                continue  # `bash <(…)`: walked below as the shell's script
            if c.type in SUBSTITUTIONS:
                self._visit(c, scope, None, nest + 1)
            else:
                self._substitutions(c, scope, nest + 1)
        for c in node.named_children:
            if c.type in ("subshell", "compound_statement"):  # `coproc ( … )`
                self._visit(c, scope.child(), None, nest + 1)
        text = node_text(node)
        stdin_text, piped = stdin_of(node, redirects, scope.variables, stdin)
        reds = tuple(redirect_pairs(node, redirects, scope.variables))
        lost = text.endswith((" -", "\t-")) or dash_before_heredoc(node, redirects)
        if lost and argv and argv[-1] != "-":
            # tree-sitter-bash drops a lone `-` right before a heredoc (`kubectl apply -f - <<EOF`)
            argv.append("-")
        if not argv:
            # `A=1` alone was handled as a variable assignment by tree-sitter; nothing runs.
            return None
        cmd = Command(
            argv=tuple(argv),
            dynamic=frozenset(dynamic),
            env=tuple(scope.env) + tuple(env),
            redirects=reds,
            stdin=stdin_text,
            stdin_piped=piped,
            host=scope.host,
            via=scope.via,
            cwd=scope.cwd,
            text=text,
        )
        if stdin is not None and stdin[1]:
            cmd = replace(cmd, via=(*cmd.via, *("origin:" + t for t in stdin[1])))
        if sub is not None:
            # `bash <(curl …)`, `source <(…)`, `sh < <(…)`: the same as `… | sh`, but for a
            # program's own shell set-up (`source <(kubectl completion bash)`)
            inner = node_text(sub)[2:-1]
            setup = prints_shell_setup(f"$({inner})")
            self.ops.extend(self.nested(inner if setup else inner + " | sh", cmd))
        else:
            self._run(cmd, scope)
        for r in list(node.named_children) + list(redirects):
            if r.type in ("file_redirect",):
                self._redirect_ops(r, scope, cmd)
        remember_files(scope.files, cmd)
        return cmd

    def _redirect_ops(self, r: Node, scope: Scope, cmd: Command) -> None:
        target = r.child_by_field_name("destination")
        if r.type != "file_redirect" or (target is not None and target.type in SUBSTITUTIONS):
            return  # `> >(cmd)` feeds a command (walked as one), not a file
        op, dest = redirect_parts(r, scope.variables)
        if op is None or op not in _OUTPUT_REDIRECTS:
            return
        from interlock.parse.tools.fs import redirect_operation

        result = redirect_operation(op, dest, replace(cmd, host=scope.host))
        if result is not None:
            self.ops.append(result)

    # ---- running a command: functions, wrappers, analyzers -------------------------------

    def _run(self, cmd: Command, scope: Scope) -> None:
        self.budget.tick()
        if cmd.is_dynamic(0):
            self._dynamic_program(cmd, scope)
            return
        if cmd.argv[0].startswith(("/etc/init.d/", "/etc/rc.d/init.d/")):
            cmd = init_script(cmd)  # `/etc/init.d/ssh stop` is `service ssh stop`
        prog = cmd.program
        if prog in ("cd", "pushd"):
            scope.cwd = cd(scope.cwd, cmd)
            return
        if prog == "shift" and "@" in scope.variables:
            n = int(cmd.argv[1]) if cmd.args and cmd.argv[1].isdigit() else 1
            args: list[str | None] = list(list_words(scope.variables["@"]))
            positional(scope.variables, args[n:])
        if prog == "alias":
            scope.aliases.update(expand.alias_definitions(cmd.args))
        elif prog in scope.aliases and cmd.argv[0] == prog:
            # bash expands aliases only when told to; assume it was (the safe reading)
            text = expand.alias_text(scope.aliases[prog], cmd.args)
            self.ops.extend(self.nested(text, replace(cmd, via=(*cmd.via, "alias"))))
            return
        if expand.is_glob(cmd.argv[0]):
            self._globbed_program(cmd, scope)
            return
        script = written_script(scope.files, cmd)
        if script is not None:
            self.ops.extend(self.nested(script, replace(cmd, via=(*cmd.via, prog))))
            return
        remember_selection(cmd, scope.env)
        if prog in scope.calling:
            return  # a function calling itself: its body is already being walked
        if prog in scope.functions:
            if len(scope.calling) >= MAX_DEPTH:
                raise BudgetExceeded("functions call each other too deeply to analyze")
            body = scope.functions[prog]
            inner = scope.child()
            inner.calling = (*scope.calling, prog)
            positional(inner.variables, static_args(cmd))
            self._visit(body, inner, None, 0)
            return
        peeled = unwrap.peel(cmd)
        if peeled is None:
            self._analyze(cmd)
            return
        start = len(self.ops)
        for p in peeled if isinstance(peeled, list) else [peeled]:
            self._peeled(p, cmd, scope)
        if prog in ("kubectl", "oc"):
            settle_exec(self.ops, start)

    def _peeled(
        self, p: unwrap.Inner | unwrap.Script | unwrap.Opaque, cmd: Command, scope: Scope
    ) -> None:
        if isinstance(p, unwrap.Inner):
            if p.own_op:
                self._analyze(p.cmd)
            else:
                self._run(p.cmd, scope)
            return
        if isinstance(p, unwrap.Script):
            if p.own_op:
                self._analyze(cmd)
            found = self.nested(p.text, p.cmd, p.dynamic, p.args)
            origin = origins(cmd)
            self.ops.extend(op.with_tags(*origin) for op in found) if origin else self.ops.extend(
                found
            )
            return
        if p.own_op:
            self._analyze(cmd)
        written = scope.files.get(script_key(p.script or ""))
        if written is not None and not p.host:
            # `echo 'rm -rf /' > x.sh && bash x.sh`: the script was written by this very line
            self.ops.extend(self.nested(written, replace(cmd, via=(*cmd.via, cmd.program))))
            return
        base = replace(cmd, host=p.host) if p.host else cmd
        self._special(scope, "opaque", p.reason, p.tags + origins(cmd), cmd.text, base)

    def _globbed_program(self, cmd: Command, scope: Scope) -> None:
        """`/bin/r? -rf /`: ask about the spelling, and judge each program it could be."""
        self._dynamic_program(cmd, scope)
        for name in expand.glob_matches(cmd.argv[0]):
            self._run(replace(cmd, argv=(name, *cmd.argv[1:])), scope)

    def _dynamic_program(self, cmd: Command, scope: Scope) -> None:
        """Ask about a program chosen at run time, and judge the program it most likely is
        (`$(which rm) -rf /` is still `rm -rf /`)."""
        self._special(
            scope,
            "dynamic-command",
            f"runs a program chosen at run time (`{cmd.argv[0]}`)",
            ("dynamic-program",),
            cmd.text,
            cmd,
        )
        guess = guessed_program(cmd.argv[0])
        if guess is not None and cmd.is_dynamic(0):
            self._run(replace(cmd, argv=(guess, *cmd.argv[1:]), dynamic=cmd.dynamic - {0}), scope)

    def _analyze(self, cmd: Command) -> None:
        from interlock.parse.tools import Context, analyzer_for

        try:
            fn = analyzer_for(cmd.program)
            ctx = Context(shell=lambda text, c: self.nested(text, c), depth=self.depth)
            found = fn(cmd, ctx)
        except BudgetExceeded:
            raise
        except Exception as exc:  # fail closed: an analyzer bug must not let a command through
            found = [
                special_op(
                    cmd,
                    "analyzer-error",
                    f"could not be analyzed ({type(exc).__name__})",
                    ("internal-error",),
                    cmd.text,
                )
            ]
        if not found:
            found = [special_op(cmd, "unanalyzed", "was not understood", (), cmd.text)]
        if cmd.host:
            found = [on_host(op, cmd.host) for op in found]
        self._extend(found, cmd)

    def _extend(self, found: list[Operation], cmd: Command) -> None:
        """Add `found`, placed in the environment a secret-manager runner gave `cmd`."""
        names = named_envs(cmd.via)
        self.ops.extend([in_environment(op, names) for op in found] if names else found)

    def _special(
        self,
        scope: Scope,
        action: str,
        summary: str,
        tags: tuple[str, ...],
        text: str,
        cmd: Command | None = None,
    ) -> None:
        base = cmd or Command(argv=("sh",), host=scope.host, via=scope.via, text=text)
        self._extend([special_op(base, action, summary, tags, text)], base)
