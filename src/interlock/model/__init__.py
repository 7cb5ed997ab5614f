"""Frozen values shared by every stage of the pipeline."""

from interlock.model.action import (
    TIER_RANK,
    Command,
    Effect,
    Operation,
    Target,
    Tier,
    program_name,
)
from interlock.model.decision import EXIT_CODES, Decision, Finding, Mode, Verdict
from interlock.model.errors import InputError, InterlockError, InternalError, PolicyError
from interlock.model.policy import Affected, Grant, History, Impact, KillSwitch, Principal, Request

__all__ = [
    "EXIT_CODES",
    "TIER_RANK",
    "Affected",
    "Command",
    "Decision",
    "Effect",
    "Finding",
    "Grant",
    "History",
    "Impact",
    "InputError",
    "InterlockError",
    "InternalError",
    "KillSwitch",
    "Mode",
    "Operation",
    "PolicyError",
    "Principal",
    "Request",
    "Target",
    "Tier",
    "Verdict",
    "program_name",
]
