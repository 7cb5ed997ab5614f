"""The resident daemon (`interlock daemon`) and its stdlib-only client; see docs/daemon.md.

Import-free on purpose: `interlock.cli.main.run` imports `interlock.daemon.client` before
anything else on every hook call.
"""
