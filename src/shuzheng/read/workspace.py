"""Where plans and ledgers live: `plans/` and `ledgers/<plan id>/` under the working folder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import Finding, Location, UsageError
from ..core.model import Plan
from ..core.names import NameIndex
from ..core.reporting import is_register
from .plan import read_plan

PLAN_SUFFIXES = (".yaml", ".yml")
LEDGER_SUFFIXES = (".csv", ".xlsx")


def shown(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and Path.cwd() in path.parents else str(path)
    except ValueError:
        return str(path)


@dataclass
class LoadedPlan:
    path: Path
    display: str
    plan: Plan | None
    diagnostics: list[Finding] = field(default_factory=list)


def plan_files(root: Path) -> list[Path]:
    folder = root / "plans"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in PLAN_SUFFIXES and p.is_file())


def load_plans(names: list[str] | None, root: Path | None = None) -> list[LoadedPlan]:
    """Plans named by id or path; every plan under plans/ when none is named."""
    root = root or Path.cwd()
    if not names:
        paths = plan_files(root)
        if not paths:
            raise UsageError(f"no plans: {shown(root / 'plans')} has no *.yaml files; name a plan file", "no-plans")
        return [_load(p) for p in paths]
    loaded: list[LoadedPlan] = []
    by_id: dict[str, LoadedPlan] | None = None
    read: dict[Path, LoadedPlan] = {}  # files under plans/, each read once however often looked at

    def in_plans(path: Path) -> LoadedPlan:
        if path not in read:
            read[path] = _load(path)
        return read[path]

    for name in names:
        candidate = Path(name)
        if candidate.suffix in PLAN_SUFFIXES or os.sep in name or "/" in name:
            if not candidate.exists():
                raise UsageError(f"no such plan file: {name}", "missing-file")
            loaded.append(_load(candidate, name))
            continue
        found = None
        for suffix in PLAN_SUFFIXES:  # plans/<id>.yaml is the usual home; read the others only if not
            usual = root / "plans" / f"{name}{suffix}"
            if usual.is_file():
                found = in_plans(usual)
                if found.plan is None or found.plan.id == name:
                    break
                found = None
        if found is None:
            if by_id is None:
                by_id = {}
                for path in plan_files(root):
                    plan = in_plans(path)
                    by_id[plan.plan.id if plan.plan else path.stem] = plan
            found = by_id.get(name)
        if found is None and candidate.exists():
            found = _load(candidate, name)  # no plan id, but a path after all (`check plans`: a folder)
        if found is None:
            index: NameIndex[str] = NameIndex()
            for known in by_id or ():
                index.add(known, known)
            known_list = ", ".join(sorted(by_id or ())) or "none"
            raise UsageError(f"unknown plan {name!r}{index.hint(name)} (known plans: {known_list})", "unknown-plan")
        loaded.append(found)
    return _once(loaded)


def _once(plans: list[LoadedPlan]) -> list[LoadedPlan]:
    """A plan named twice (`hailing plans/hailing.yaml`) is one plan, reported once."""
    unique: dict[Path, LoadedPlan] = {}
    for plan in plans:
        unique.setdefault(plan.path.resolve(), plan)
    return list(unique.values())


def _load(path: Path, display: str | None = None) -> LoadedPlan:
    text = display or shown(path)
    plan, diagnostics = read_plan(path, text)
    return LoadedPlan(path, text, plan, diagnostics)


def ledger_files(loaded: LoadedPlan, root: Path | None = None) -> tuple[list[Path], list[Finding]]:
    """ledgers/<plan id>/ (which may be absent) and the paths the plan names (which may not)."""
    assert loaded.plan is not None
    own = (root or Path.cwd()) / "ledgers" / loaded.plan.id
    files: list[Path] = []
    problems: list[Finding] = []
    for source in [own] + [loaded.path.parent / p for p in loaded.plan.ledgers]:
        if source.is_dir():
            files += _ledgers_in(source)
        elif source.is_file():
            files.append(source)
        elif source != own:
            problems.append(_not_there(source))
    return files, problems


def _not_there(source: Path) -> Finding:
    """A ledger path that is neither a file nor a folder: missing, or a pipe, socket or device."""
    if source.exists():  # a pipe (`--ledger <(…)`) could be read once only, the reader needs it twice
        return Finding(
            "not-a-file",
            "is not a regular file (a pipe or a device); save the ledger to a file and name that",
            Location(shown(source)),
        )
    return Finding("missing-file", "no such ledger file or folder", Location(shown(source)))


def _ledgers_in(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in LEDGER_SUFFIXES
        and p.is_file()
        and not p.name.startswith(("~$", "."))
        and not is_register(p.name)  # collect's receipts register (收文登记.csv) is not a ledger
    )


def assign_ledgers(overrides: list[str], ids: list[str]) -> list[tuple[list[Path], list[Finding]]]:
    """`--ledger` paths shared out among the loaded plans (`ids`, in order): a file belongs to
    the plan whose id names one of its folders (the innermost such, as the path is shown:
    ledgers/city/a.csv → city, tmp/huairou/2024/a.csv → huairou); a file with no such folder
    belongs to the one plan when only one is loaded, and is a usage error otherwise: rows of
    one plan read against another would all be rejected."""
    shares: list[tuple[list[Path], list[Finding]]] = [([], []) for _ in ids]

    def owners(folders: tuple[str, ...]) -> list[int]:
        for folder in reversed(folders):
            found = [n for n, plan_id in enumerate(ids) if plan_id == folder]
            if found:
                return found
        return list(range(len(ids))) if len(ids) == 1 else []

    unowned: list[Path] = []
    for text in overrides:
        source = Path(text)
        if source.is_dir():
            files = _ledgers_in(source)
        elif source.is_file():
            files = [source]
        else:
            # said once, by the plan its folders name, else by the first plan
            problem = _not_there(source)
            for n in owners(Path(shown(source)).parts)[:1] or [0]:
                shares[n][1].append(problem)
            continue
        for path in files:
            found = owners(Path(shown(path)).parent.parts)
            if not found:
                unowned.append(path)
            for n in found:
                shares[n][0].append(path)
    if unowned:
        more = f" (and {len(unowned) - 1} more)" if len(unowned) > 1 else ""
        known = ", ".join(dict.fromkeys(ids))
        raise UsageError(
            f"--ledger {shown(unowned[0])}{more}: no folder of its path is a plan id ({known}), so it is not clear which "
            "plan it belongs to; name the plan with --plan (for check: `shuzheng check PLAN --ledger …`), "
            "or keep the file under a folder named after its plan (ledgers/<plan id>/)",
            "usage",
        )
    return shares
