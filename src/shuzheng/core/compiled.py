"""The compiled plan: a plan with its area tree and its targets resolved, built once and read
by the checks, the ledger rules and the reconciler alike."""

from __future__ import annotations

from .areas import AreaTree
from .findings import Finding
from .model import Plan
from .targets import ResolvedTarget, resolve_targets


class CompiledPlan:
    """The plan, its area tree, its resolved targets and why the other targets did not resolve."""

    plan: Plan
    tree: AreaTree
    targets: list[ResolvedTarget]
    target_problems: list[Finding]

    def __init__(self, plan: Plan):
        self.plan = plan
        self.tree = AreaTree.of(plan)
        self.targets, self.target_problems = resolve_targets(plan, self.tree)
