"""Agent hooks: `interlock hook AGENT` speaks each coding agent's own hook protocol.

`AGENTS` maps the public agent name to the module that reads its payload and writes its answer;
modules are imported only for the agent that runs (see `interlock.cli.hook`).
"""

AGENTS = {
    "claude-code": "interlock.adapters.hooks.claude_code",
    "codex": "interlock.adapters.hooks.codex",
    "cursor": "interlock.adapters.hooks.cursor",
    "gemini": "interlock.adapters.hooks.gemini",
    "kiro": "interlock.adapters.hooks.kiro",
    "copilot": "interlock.adapters.hooks.copilot",
}

__all__ = ["AGENTS"]
