"""Templates out, ledgers in: make each reporting unit's template, take returned files with a receipt.

Intake (`collect`): every returned file is checked with the ledger rules; a clean one is copied
atomically into ledgers/<plan>/<unit>_<period><suffix>, never over another file. A resubmission
for the same unit and period replaces the earlier one only when asked, and the earlier one is
moved to ledgers/<plan>/.superseded/<name>.<sha8><suffix>.superseded — a hidden folder and a
suffix the ledger scan does not read, so it stays out of every tally but is never lost. Every
receipt is a line of ledgers/<plan>/收文登记.csv (UTF-8 with BOM, append-only), which the
ledger scan skips by name (core.reporting.is_register).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .core.checks import PlanContext, check_plan
from .core.columns import column_for, match_header
from .core.dates import parse_date
from .core.due import DueList
from .core.findings import Finding, ParseError, ShuzhengError, UsageError, column_letter, each, sort_key
from .core.i18n import N_, _, ngettext, plan_text
from .core.model import Plan
from .core.names import fold
from .core.reporting import (
    REGISTER_NAME,
    SUPERSEDED_DIR,
    SUPERSEDED_SUFFIX,
    ReportPeriod,
    Unit,
    duty_of,
    find_unit,
    parse_period,
    period_of,
    reporting_of,
    units_of,
)
from .read.workspace import LoadedPlan, load_plans, shown

REGISTER_HEADER = ("时间", "责任单位", "期别", "原文件名", "sha256", "行数", "退回行数", "结果", "存为")
ACCEPTED = "accepted"
ACCEPTED_WITH_ERRORS = "accepted-with-errors"
REPLACED = "replaced"
REFUSED = "refused"
ALREADY = "already"  # the same bytes were accepted before: nothing is added, nothing registered
# What a receipt line shows for each decision (the register keeps the decision itself).
DECISIONS = {
    ACCEPTED: N_("accepted"),
    ACCEPTED_WITH_ERRORS: N_("accepted-with-errors"),
    REPLACED: N_("replaced"),
    REFUSED: N_("refused"),
    ALREADY: N_("already"),
}
SUFFIXES = (".xlsx", ".csv")


def one_plan(name: str | None) -> LoadedPlan:
    """The plan named, or the only plan under plans/; it must load without errors."""
    plans = load_plans([name] if name else None)
    if len(plans) > 1:
        ids = ", ".join(p.plan.id if p.plan else p.display for p in plans)
        raise UsageError(_("several plans ({ids}); name one with --plan").format(ids=ids), "usage")
    loaded = plans[0]
    if loaded.plan is None or any(d.is_error for d in loaded.diagnostics):
        raise ShuzhengError(
            _("plan {plan} has errors; run `shuzheng check {plan}`").format(plan=loaded.display), "plan-error"
        )
    return loaded


# Templates


def select_units(plan: Plan, ctx: PlanContext, names: list[str] | None) -> list[Unit]:
    units = units_of(plan, ctx.tree)
    if not names:
        if not units:
            raise UsageError(
                _("plan {plan} names no reporting units (reporting: units:); name one with --unit").format(
                    plan=plan.id
                ),
                "unknown-reporting-unit",
            )
        return units
    chosen: list[Unit] = []
    for name in names:
        unit = find_unit(plan, ctx.tree, name)
        if unit is None:
            known = _listed(u.name for u in units) or _("none")
            raise UsageError(
                _("--unit {name!r} is not a reporting unit of plan {plan} (units: {known})").format(
                    name=name, plan=plan.id, known=known
                ),
                "unknown-reporting-unit",
            )
        chosen.append(unit)
    return chosen


def make_templates(
    plan_name: str | None, units: list[str] | None, tasks: list[str] | None, output: str | None, fmt: str
) -> list[Path]:
    from dataclasses import replace

    from .render.template_xlsx import TemplateInfo, render_csv, render_xlsx
    from .write import write_atomic

    loaded = one_plan(plan_name)
    plan = loaded.plan
    assert plan is not None
    ctx = PlanContext(plan)
    chosen = select_units(plan, ctx, units)
    suffix = ".csv" if fmt == "csv" else ".xlsx"
    target = Path(output) if output else Path("templates") / plan.id
    single = target.suffix.lower() == suffix
    if single and len(chosen) > 1:
        raise UsageError(
            ngettext(
                "-o {path} is one file but {n} unit reports; name a folder, or one --unit",
                "-o {path} is one file but {n} units report; name a folder, or one --unit",
                len(chosen),
            ).format(path=output, n=len(chosen)),
            "usage",
        )
    written: list[Path] = []
    send_to = plan.organisation.office or plan.issuer or plan.id
    for unit in chosen:
        duty = duty_of(plan, ctx.tree, unit)
        if tasks:
            keep = {t.strip() for t in tasks}
            indicators = tuple((t, i) for t, i in duty.indicators if t in keep)
            ids = {i.id for _t, i in indicators}
            duty = replace(duty, indicators=indicators, targets=tuple(p for p in duty.targets if p[0].id in ids))
        info = TemplateInfo(plan, duty, send_to)
        data = render_csv(info) if fmt == "csv" else render_xlsx(info)
        # Translators: a file name; keep {unit}_ first (collect reads the unit from it), no / \\ : * ? " < > |
        name = _("{unit}_ledger-template{suffix}").format(unit=_safe(unit.name), suffix=suffix)
        path = target if single else target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        written.append(path)
    return written


# Intake


@dataclass
class Receipt:
    source: Path
    unit: str
    period: str
    sha256: str
    rows: int
    rejected: int
    decision: str
    stored: str = ""
    findings: list[str] = field(default_factory=list)  # in the clerk's terms
    note: str = ""

    @property
    def added(self) -> bool:
        return self.decision in (ACCEPTED, ACCEPTED_WITH_ERRORS, REPLACED)


def returned_files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", "."))
            )
        elif path.is_file():
            found.append(path)
        else:
            raise ShuzhengError(_("no such file or folder: {path}").format(path=text), "missing-file")
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class _Peek:
    """What collect reads from a file besides the rules: the header, 责任单位 values, dates, cells."""

    sheet: str | None = None
    fields: dict[str, int] = field(default_factory=dict)
    departments: set[str] = field(default_factory=set)
    latest: dt.date | None = None
    cells: dict[int, list[str]] = field(default_factory=dict)


def _peek(path: Path) -> _Peek:
    from .read.records import snapshot, sources

    peek = _Peek()
    try:
        tables, _found = sources(snapshot(path, path.name))
    except (ShuzhengError, OSError):
        return peek  # the rules' reading says what is wrong with the file
    if not tables:
        return peek
    table = tables[0]
    peek.sheet = table.sheet
    header = None
    try:
        for record in table.records:
            if not isinstance(record, tuple):
                continue
            line, cells = record
            if header is None:
                candidate = match_header(cells)
                if candidate.complete:
                    header = candidate
                    peek.fields = dict(header.fields)
                continue
            peek.cells[line] = cells
            dept = header.fields.get("department")
            if dept is not None and dept < len(cells) and cells[dept].strip():
                peek.departments.add(cells[dept].strip())
            day = header.fields.get("date")
            if day is not None and day < len(cells):
                with contextlib.suppress(ParseError):
                    found = parse_date(cells[day].strip())
                    peek.latest = max(peek.latest or found, found)
    except ShuzhengError:
        pass  # the rules' reading says what is wrong with the file
    return peek


_LABEL = re.compile(r"^(\S{1,12}?)[:：] ?")  # the rules lead with the column: "quantity: …", "数量：…"


def clerk_terms(finding: Finding, name: str, peek: _Peek) -> str:
    """`朝阳区_2024-09.xlsx[台账]!F7: 「1,2O0」 数量: not a number … [invalid-number]`."""
    where = finding.where
    sheet = where.sheet if where is not None and where.sheet else peek.sheet
    place = name + (f"[{sheet}]" if sheet and name.lower().endswith((".xlsx", ".xlsm")) else "")
    value = ""
    if where is not None and where.line is not None:
        col = where.col
        match = _LABEL.match(finding.message)
        fld = column_for(match.group(1)) if match else None
        if col is None and fld is not None and fld in peek.fields:
            col = peek.fields[fld] + 1
        place += f"!{column_letter(col)}{where.line}" if col else f"!{where.line}:{where.line}"
        cells = peek.cells.get(where.line)
        if col and cells is not None and col <= len(cells) and cells[col - 1].strip():
            value = _("“{value}”").format(value=cells[col - 1].strip()) + " "
    return f"{place}: {value}{finding.message} [{finding.code}]"


def check_file(path: Path, ctx: PlanContext) -> tuple[int, list[Finding]]:
    """Every finding of the ledger rules about one file (every row, whatever its date), and its rows read."""
    from .service import read_plan_ledgers

    run = read_plan_ledgers(ctx, [(path, path.name)], None)
    # in row order, as the clerk reads the file: the reader keeps many rows' findings as columns, apart
    findings = sorted((f for f in each(run.findings) if f.severity != "info"), key=sort_key)
    return run.counts.read, findings


def _unit_of(path: Path, given: str | None, peek: _Peek, plan: Plan, ctx: PlanContext) -> Unit | str:
    """--unit, else the 责任单位 column's single value, else the file name's prefix (before _)."""
    if given:
        text = given
    elif len(peek.departments) == 1:
        text = next(iter(peek.departments))
    else:
        text = path.stem.split("_")[0]
    unit = find_unit(plan, ctx.tree, text)
    if unit is None and not units_of(plan, ctx.tree):
        return Unit(text, None)
    return unit if unit is not None else text


def _period_of(path: Path, given: str | None, peek: _Peek, cadence: str, today: dt.date) -> ReportPeriod:
    if given:
        try:
            return parse_period(given, cadence)
        except ParseError as exc:
            raise UsageError(
                _("{option}: {message}").format(option="--period", message=exc.message), exc.code
            ) from None
    for part in reversed(path.stem.split("_")[1:]):
        with contextlib.suppress(ParseError):
            return parse_period(part, cadence)
    return period_of(peek.latest or today, cadence)


def collect(
    paths: list[str],
    plan_name: str | None,
    period: str | None = None,
    unit: str | None = None,
    replace: bool = False,
    accept_with_errors: bool = False,
    root: Path | None = None,
    now: dt.datetime | None = None,
) -> list[Receipt]:
    """Take each returned file into the plan named, or, without --plan, into the one plan
    whose reporting units include the file's unit (a usage error when none or several do)."""
    if plan_name is not None:
        candidates = [one_plan(plan_name)]
    else:
        candidates = [p for p in load_plans(None) if p.plan and not any(d.is_error for d in p.diagnostics)]
        if not candidates:
            one_plan(None)  # says why
    contexts = [check_plan(p.plan)[0] for p in candidates if p.plan is not None]
    now = now or dt.datetime.now().replace(microsecond=0)
    receipts: list[Receipt] = []
    for path in returned_files(paths):
        ctx = contexts[0] if len(contexts) == 1 else _plan_for(path, unit, contexts)
        plan = ctx.plan
        folder = (root or Path.cwd()) / "ledgers" / plan.id
        cadence = reporting_of(plan).cadence
        receipts.append(_collect_one(path, plan, ctx, folder, period, unit, replace, accept_with_errors, now, cadence))
    return receipts


def _plan_for(path: Path, unit: str | None, contexts: list[PlanContext]) -> PlanContext:
    peek = _peek(path)
    owners = [ctx for ctx in contexts if isinstance(_unit_of(path, unit, peek, ctx.plan, ctx), Unit)]
    if len(owners) == 1:
        return owners[0]
    ids = ", ".join(ctx.plan.id for ctx in (owners or contexts))
    message = (
        _("{name}: its unit is a reporting unit of several plans ({ids}); name the plan with --plan")
        if owners
        else _("{name}: its unit is a reporting unit of none of the plans ({ids}); name the plan with --plan")
    )
    raise UsageError(message.format(name=path.name, ids=ids), "usage")


def _collect_one(
    path: Path,
    plan: Plan,
    ctx: PlanContext,
    folder: Path,
    period_text: str | None,
    unit_text: str | None,
    replace: bool,
    accept_with_errors: bool,
    now: dt.datetime,
    cadence: str,
) -> Receipt:
    digest = sha256_of(path)
    peek = _peek(path)
    rows, findings = check_file(path, ctx)
    errors = [f for f in findings if f.is_error]
    rejected = sum(1 for f in errors if f.where is not None and f.where.line is not None)
    unit = _unit_of(path, unit_text, peek, plan, ctx)
    period = _period_of(path, period_text, peek, cadence, now.date())
    lines = [clerk_terms(f, path.name, peek) for f in findings]
    unit_name = unit.name if isinstance(unit, Unit) else unit
    receipt = Receipt(path, unit_name, period.label, digest, rows, rejected, REFUSED, findings=lines)
    earlier = _already(folder, digest)
    if earlier is not None:
        receipt.decision = ALREADY
        receipt.stored = shown(earlier)
        receipt.findings = []
        receipt.note = _("the same file (sha256 {sha}) is already in {path}; nothing added").format(
            sha=digest[:8], path=shown(earlier)
        )
        return receipt  # recognised by its hash: not added again, not registered again
    if not isinstance(unit, Unit):
        known = _listed(u.name for u in units_of(plan, ctx.tree))
        receipt.note = _(
            "{name!r} is not a reporting unit of plan {plan} (units: {known}); name the unit with --unit"
        ).format(name=unit, plan=plan.id, known=known)
    elif errors and not accept_with_errors:
        receipt.note = ngettext(
            "{n} error; the file stays where it is. Fix it, or collect it with --accept-with-errors",
            "{n} errors; the file stays where it is. Fix it, or collect it with --accept-with-errors",
            len(errors),
        ).format(n=len(errors))
    else:
        stem = f"{_safe(unit.name)}_{period.label}"
        target = folder / f"{stem}{path.suffix.lower()}"
        present = [folder / f"{stem}{s}" for s in SUFFIXES]
        present = [p for p in present if p.exists()]
        if present and not replace:
            old = present[0]
            receipt.note = _(
                "{unit} already sent {period} ({path}, sha256 {sha}) and this file differs. "
                "Collect it with --replace to replace it (the earlier file is kept in {kept}/)"
            ).format(
                unit=plan_text(unit.name),
                period=period.label,
                path=shown(old),
                sha=sha256_of(old)[:8],
                kept=shown(folder / SUPERSEDED_DIR),
            )
        else:
            folder.mkdir(parents=True, exist_ok=True)
            kept: list[Path] = []
            # the new file is written and synced first; only then is the earlier one moved aside
            _copy_new(path, target, lambda: kept.extend(_set_aside(old) for old in present))
            receipt.decision = REPLACED if kept else ACCEPTED_WITH_ERRORS if errors else ACCEPTED
            receipt.stored = shown(target)
            receipt.note = (
                _("replaced; the earlier file is kept as {kept}").format(kept=", ".join(shown(k) for k in kept))
                if kept
                else _("accepted as {path}").format(path=shown(target))
            )
    append_register(folder, receipt, now)
    return receipt


def _listed(names) -> str:  # noqa: ANN001 - names of the plan
    # Translators: the separator between names in a list (、 in Chinese)
    return _(", ").join(plan_text(name) for name in names)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _safe(name: str) -> str:
    """A unit's name as part of a file name: no folder separators or characters Windows refuses."""
    return _UNSAFE.sub("_", name).strip(" .") or "_"


def _already(folder: Path, digest: str) -> Path | None:
    """A file accepted before with the same bytes: in the register, or among the files present."""
    for entry in read_register(folder):
        if entry.get("sha256") == digest and entry.get("结果") in (ACCEPTED, ACCEPTED_WITH_ERRORS, REPLACED):
            stored = entry.get("存为") or ""
            return Path(stored) if stored else folder / REGISTER_NAME
    if folder.is_dir():
        for p in sorted(folder.iterdir()):
            if p.is_file() and p.suffix.lower() in SUFFIXES and sha256_of(p) == digest:
                return p
    return None


def _set_aside(old: Path) -> Path:
    aside = old.parent / SUPERSEDED_DIR
    aside.mkdir(exist_ok=True)
    kept = aside / f"{old.stem}.{sha256_of(old)[:8]}{old.suffix}{SUPERSEDED_SUFFIX}"
    if kept.exists():
        old.unlink()  # the same bytes are kept already
    else:
        os.replace(old, kept)
    return kept


def _copy_new(source: Path, target: Path, make_room: Callable[[], object] = lambda: None) -> None:
    """Copy atomically, never over an existing file: a temporary copy, then a hard link under the name."""
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False)  # noqa: SIM115
    temp = Path(handle.name)
    try:
        with handle, source.open("rb") as src:
            while chunk := src.read(1 << 20):
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # as a copy made by hand would be, not the temporary file's 0600
        make_room()
        try:
            os.link(temp, target)  # fails if the name exists: nothing is overwritten
        except FileExistsError:
            raise ShuzhengError(
                _("{path} appeared meanwhile; nothing was overwritten").format(path=shown(target)), "output-error"
            ) from None
        except OSError:  # no hard links on this file system
            if target.exists():
                raise ShuzhengError(
                    _("{path} appeared meanwhile; nothing was overwritten").format(path=shown(target)), "output-error"
                ) from None
            os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# The register


def register_path(folder: Path) -> Path:
    return folder / REGISTER_NAME


def read_register(folder: Path) -> list[dict[str, str]]:
    path = register_path(folder)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def append_register(folder: Path, receipt: Receipt, now: dt.datetime) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = register_path(folder)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    new = not path.exists() or path.stat().st_size == 0
    if new:
        writer.writerow(REGISTER_HEADER)
    writer.writerow(
        [
            now.isoformat(sep=" "),
            receipt.unit,
            receipt.period,
            receipt.source.name,
            receipt.sha256,
            receipt.rows,
            receipt.rejected,
            receipt.decision,
            receipt.stored,
        ]
    )
    data = ("\ufeff" if new else "") + out.getvalue()
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def received(folder: Path) -> dict[tuple[str, str], dt.datetime]:
    """(folded unit, period) → when its report was first accepted: the register, then the files present."""
    found: dict[tuple[str, str], dt.datetime] = {}
    for entry in read_register(folder):
        if entry.get("结果") not in (ACCEPTED, ACCEPTED_WITH_ERRORS, REPLACED):
            continue
        with contextlib.suppress(ValueError, TypeError):
            when = dt.datetime.fromisoformat(entry.get("时间") or "")
            key = (fold(entry.get("责任单位") or ""), entry.get("期别") or "")
            found[key] = min(found.get(key, when), when)
    if folder.is_dir():
        for p in folder.iterdir():
            if p.is_file() and p.suffix.lower() in SUFFIXES and "_" in p.stem:
                unit, _sep, period = p.stem.rpartition("_")
                key = (fold(unit), period)
                if key not in found:
                    found[key] = dt.datetime.fromtimestamp(p.stat().st_mtime)
    return found


# Who is late


def due_lists(result) -> DueList:  # noqa: ANN001 - a service.ProgressResult
    """The 催报 list of a reconciled report: the register and files of each plan's ledgers/<plan>/."""
    from .core.due import due_list

    pairs = [(ctx.plan, plan_report) for ctx, plan_report in zip(result.contexts, result.report.plans, strict=True)]
    received_by = {plan.id: received(Path.cwd() / "ledgers" / plan.id) for plan, _r in pairs}
    return due_list(result.report.as_of, pairs, received_by)
