"""Where plans and ledgers live: `plans/` and `ledgers/<plan id>/` under the working folder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import Finding, Location, UsageError
from ..core.i18n import _, ngettext
from ..core.model import Plan
from ..core.names import NameIndex
from ..core.reporting import is_register
from . import cache
from .plan import read_plan

PLAN_SUFFIXES = (".yaml", ".yml")
LEDGER_SUFFIXES = (".csv", ".xlsx", ".xlsm")
OLD_WORKBOOKS = (".xls", ".et", ".ett", ".xlt")  # Excel 97-2003 and WPS: saved again as .xlsx, they are read


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
    cache.watch(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in PLAN_SUFFIXES and p.is_file())


def load_plans(names: list[str] | None, root: Path | None = None) -> list[LoadedPlan]:
    """Plans named by id or path; every plan under plans/ when none is named."""
    root = root or Path.cwd()
    if not names:
        paths = plan_files(root)
        if not paths:
            raise UsageError(
                _("no plans: {folder} has no *.yaml files; name a plan file").format(folder=shown(root / "plans")),
                "no-plans",
            )
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
                raise UsageError(_("no such plan file: {name}").format(name=name), "missing-file")
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
            known = ", ".join(sorted(by_id or ()))
            near = index.suggest(name)
            if not known:
                said = _("unknown plan {name!r} (no plans are known)")
            elif near:
                said = _("unknown plan {name!r}; did you mean {near}? (known plans: {known})")
            else:
                said = _("unknown plan {name!r} (known plans: {known})")
            raise UsageError(said.format(name=name, near=near, known=known), "unknown-plan")
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
    cache.watch(path)
    plan, diagnostics = _read_plan(path, text)
    return LoadedPlan(path, text, plan, diagnostics)


def _read_plan(path: Path, text: str) -> tuple[Plan | None, list[Finding]]:
    """read_plan, through the plan cache: a plan file unchanged since it was last validated is not read again."""
    found = cache.identity(path)
    key = (os.path.abspath(path), text, found)
    if found[0] != "missing":
        cached = cache.load("plan", key)
        if cached is not None:
            return cached
    plan, diagnostics = read_plan(path, text)
    if found[0] != "missing" and cache.settled(found) and cache.identity(path) == found:
        cache.store("plan", key, (plan, diagnostics))
    return plan, diagnostics


def ledger_files(loaded: LoadedPlan, root: Path | None = None) -> tuple[list[Path], list[Finding]]:
    """ledgers/<plan id>/ (which may be absent) and the paths the plan names (which may not)."""
    assert loaded.plan is not None
    own = (root or Path.cwd()) / "ledgers" / loaded.plan.id
    files: list[Path] = []
    problems: list[Finding] = []
    for source in [own] + [loaded.path.parent / p for p in loaded.plan.ledgers]:
        cache.watch(source)
        if source.is_dir():
            found, said = _ledgers_in(source)
            files += found
            problems += said
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
            _("is not a regular file (a pipe or a device); save the ledger to a file and name that"),
            Location(shown(source)),
        )
    return Finding("missing-file", _("no such ledger file or folder"), Location(shown(source)))


def _ledgers_in(folder: Path) -> tuple[list[Path], list[Finding]]:
    """The ledger files under a folder, and a finding for everything else there: nothing in a
    ledger folder is skipped without a word (but hidden files, Office lock files and the register)."""
    files: list[Path] = []
    problems: list[Finding] = []
    cache.watch(folder)
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or path.name.startswith("~$") or is_register(path.name):
            continue
        where = Location(shown(path))
        suffix = path.suffix.lower()
        if path.is_symlink() and not path.exists():
            problems.append(Finding("missing-file", _("a link to a file that is not there"), where))
        elif path.is_dir():
            cache.watch(path)  # a file added inside it changes its mtime
            continue
        elif not path.is_file():
            problems.append(
                Finding("not-a-file", _("is not a regular file (a pipe or a device); it is not read"), where)
            )
        elif suffix in LEDGER_SUFFIXES:
            files.append(path)
        elif suffix in OLD_WORKBOOKS:
            problems.append(
                Finding(
                    "old-workbook",
                    _("an old Excel or WPS workbook ({suffix}) is not read; save it as .xlsx").format(suffix=suffix),
                    where,
                )
            )
        else:
            problems.append(Finding("unsupported-file", _("not a ledger file (.csv, .xlsx); it is not read"), where))
    return files, problems


def stray_ledgers(loaded_ids: list[str], root: Path | None = None) -> list[Finding]:
    """Folders and files under ledgers/ that belong to no plan: said, never silently ignored."""
    folder = (root or Path.cwd()) / "ledgers"
    cache.watch(folder)
    if not folder.is_dir():
        return []
    ids = set(loaded_ids) | {path.stem for path in plan_files(root or Path.cwd())}
    problems: list[Finding] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name in ids:
            continue
        said = (
            _(
                "this folder under ledgers/ names no plan (plans: {ids}); its rows are not read — move them to "
                "ledgers/<plan id>/"
            )
            if entry.is_dir()
            else _(
                "this file under ledgers/ names no plan (plans: {ids}); its rows are not read — move them to "
                "ledgers/<plan id>/"
            )
        )
        problems.append(
            Finding("unassigned-folder", said.format(ids=", ".join(sorted(ids)) or "—"), Location(shown(entry)))
        )
    return problems


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
        cache.watch(source)
        said: list[Finding] = []
        if source.is_dir():
            files, said = _ledgers_in(source)
        elif source.is_file():
            files = [source]
        else:
            # said once, by the plan its folders name, else by the first plan
            problem = _not_there(source)
            for n in owners(Path(shown(source)).parts)[:1] or [0]:
                shares[n][1].append(problem)
            continue
        for problem in said:
            for n in owners(Path(problem.where.path).parent.parts if problem.where else ())[:1] or [0]:
                shares[n][1].append(problem)
        for path in files:
            found = owners(Path(shown(path)).parent.parts)
            if not found:
                unowned.append(path)
            for n in found:
                shares[n][0].append(path)
    if unowned:
        known = ", ".join(dict.fromkeys(ids))
        said = (
            _(
                "--ledger {path}: no folder of its path is a plan id ({known}), so it is not clear which plan it "
                "belongs to; name the plan with --plan (for check: `shuzheng check PLAN --ledger …`), or keep the "
                "file under a folder named after its plan (ledgers/<plan id>/)"
            )
            if len(unowned) == 1
            else ngettext(
                "--ledger {path} (and {n} more file): no folder of their paths is a plan id ({known}), so it is "
                "not clear which plan they belong to; name the plan with --plan (for check: `shuzheng check PLAN "
                "--ledger …`), or keep the files under a folder named after their plan (ledgers/<plan id>/)",
                "--ledger {path} (and {n} more files): no folder of their paths is a plan id ({known}), so it is "
                "not clear which plan they belong to; name the plan with --plan (for check: `shuzheng check PLAN "
                "--ledger …`), or keep the files under a folder named after their plan (ledgers/<plan id>/)",
                len(unowned) - 1,
            )
        )
        raise UsageError(said.format(path=shown(unowned[0]), n=len(unowned) - 1, known=known), "usage")
    return shares
