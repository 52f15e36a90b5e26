"""Every finding's code, with an example and its fix. docs/errors.md is generated from this
table and a test keeps both in step with the codes the source actually emits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    name: str
    where: str  # plan | ledger | file | usage
    severity: str  # error | warning
    meaning: str
    example: str
    fix: str


_TABLE = [
    # plan files: YAML
    Code(
        "yaml-syntax",
        "plan",
        "error",
        "The file is not valid YAML, or holds a character YAML does not allow anywhere (NUL, most control characters).",
        "plans/city.yaml:12:5: error: YAML syntax: mapping values are not allowed here [yaml-syntax]",
        "Fix the indentation or quoting at the position shown.",
    ),
    Code(
        "yaml-duplicate-key",
        "plan",
        "error",
        "A key appears twice in one mapping; YAML tools would silently keep one.",
        "plans/city.yaml:9:3: error: duplicate key 'title' (first at line 2); keep one [yaml-duplicate-key]",
        "Delete or rename one of the two keys.",
    ),
    Code(
        "yaml-alias",
        "plan",
        "error",
        "An alias (*name) would copy another node; aliases are refused so a file cannot expand into a bomb.",
        "plans/x.yaml:4:8: error: alias *a is not allowed: write the value out in full [yaml-alias]",
        "Write the value out where it is needed.",
    ),
    Code(
        "yaml-anchor",
        "plan",
        "error",
        "An anchor (&name) marks a node for aliasing; plans use neither.",
        "plans/x.yaml:3:8: error: anchor &a is not allowed: plans use no anchors or aliases [yaml-anchor]",
        "Remove the &name.",
    ),
    Code(
        "yaml-tag",
        "plan",
        "error",
        "An explicit tag (!!python/object, !!str …) asks for a type; plans take plain values only.",
        "plans/x.yaml:2:8: error: tag !!python/object is not allowed: plans take plain values only [yaml-tag]",
        "Remove the tag; quote the value if it must stay text.",
    ),
    Code(
        "yaml-directive",
        "plan",
        "error",
        "A %YAML or %TAG directive; plans are YAML 1.2 and take none.",
        "plans/x.yaml:2:1: error: remove the '%' directive line: plans are YAML 1.2 and take none [yaml-directive]",
        "Delete the directive line.",
    ),
    Code(
        "yaml-multi-document",
        "plan",
        "error",
        "A second document (---) in one plan file.",
        "plans/x.yaml:40:1: error: a plan is one YAML document; remove the second '---' [yaml-multi-document]",
        "Keep one plan per file.",
    ),
    Code(
        "yaml-depth",
        "plan",
        "error",
        "Nesting deeper than any plan needs (40 levels).",
        "plans/x.yaml:3:50: error: nesting deeper than 40 levels; a plan needs far fewer [yaml-depth]",
        "Flatten the structure.",
    ),
    Code(
        "yaml-ambiguous",
        "plan",
        "error",
        "A plain value that YAML 1.1 tools read as something else (no → false, 010 → 8, 1_000 → 1000).",
        "plans/x.yaml:8:9: error: '010' means something else to YAML 1.1 tools; quote it: \"010\" [yaml-ambiguous]",
        "Quote the value.",
    ),
    Code(
        "empty-plan",
        "plan",
        "error",
        "The plan file is empty.",
        "plans/x.yaml:1:1: error: the plan file is empty; start from docs/plan-format.md [empty-plan]",
        "Write the plan, or delete the file.",
    ),
    # plan files: schema
    Code(
        "schema",
        "plan",
        "error",
        "A value of the wrong type or shape for its key.",
        "plans/city.yaml:15:18: error: measure: Input should be 'sum', 'latest', 'ratio', 'distinct', 'milestone' or "
        "'qualitative' [schema]",
        "Use a value the schema allows (`shuzheng schema` lists them).",
    ),
    Code(
        "unknown-key",
        "plan",
        "error",
        "A key the plan format does not have, often a misspelling.",
        "plans/city.yaml:17:45: error: unknown key 'taregts'; did you mean 'targets'? [unknown-key]",
        "Correct the spelling or remove the key.",
    ),
    Code(
        "missing-key",
        "plan",
        "error",
        "A required key is missing.",
        "plans/city.yaml:1:1: error: missing key 'period' [missing-key]",
        "Add the key.",
    ),
    Code(
        "invalid-number",
        "plan, ledger",
        "error",
        "Not a number in any accepted form (4000, 4,000, ４０００, 1.6萬, 3萬戶, 100%); nan, Infinity, 1_000, (123), "
        "—, 1e3, 1 000 and numbers of more than 18 digits before the point are refused.",
        "ledgers/city/a.csv:7: error: 數量: not a number: 'nan' (write e.g. 4000, 4,000, 1.6萬, 100%) [invalid-number]",
        "Write the number in one of the accepted forms.",
    ),
    Code(
        "invalid-date",
        "plan, ledger, usage",
        "error",
        "Not a date, or a date that does not exist (2024年2月30日).",
        "ledgers/city/a.csv:9: error: 日期: no such date: '2024年2月30日' [invalid-date]",
        "Write a real date: 2024-03-05, 2024/3/5, 2024.3.5 or 2024年3月5日.",
    ),
    Code(
        "unknown-unit",
        "plan, ledger",
        "error",
        "A unit the registry does not know.",
        "plans/city.yaml:14:15: error: unknown unit '公頃'; known units: … [unknown-unit]",
        "Use a known unit (平方米, 萬平方米, 平方公里, 米, 公里, 處, 戶, 家, 個, 件, 次, 人, 所, 畝, 條, 輛, 塊, 張, "
        "座, 棟, 間, 套, 項, 名, 宗, %).",
    ),
    Code(
        "unit-mismatch",
        "plan, ledger",
        "error",
        "A unit that cannot be converted to the indicator's unit (處 is not 平方米).",
        "ledgers/city/a.csv:5: error: 單位: 處 cannot be counted in 1.1's unit 平方米 [unit-mismatch]",
        "Record the row in the indicator's unit, or under the right indicator.",
    ),
    Code(
        "duplicate-id",
        "plan",
        "error",
        "Two tasks, indicators, areas, groups, items or phases share a name or id.",
        "plans/city.yaml:88:15: error: duplicate indicator id '1.2' (first at line 40) [duplicate-id]",
        "Give each its own id.",
    ),
    Code(
        "unknown-area",
        "plan, ledger, usage",
        "error",
        "A scope, group member, ledger area or --district the plan's area tree does not know.",
        "ledgers/city/a.csv:6: error: 地區: unknown area '朝阳门'; did you mean 朝陽區? [unknown-area]",
        "Use a name of the plan's area tree (any spelling: 朝阳, 朝陽區), or add the area to the plan.",
    ),
    Code(
        "ambiguous-area",
        "plan, ledger, usage",
        "error",
        "A short name that fits more than one area.",
        "ledgers/x/a.csv:3: error: '城' could be 城關鎮、城北鄉; write the full name [ambiguous-area]",
        "Write the full name.",
    ),
    Code(
        "unknown-indicator",
        "plan, ledger",
        "error",
        "A ledger row or a component names an indicator the plan does not have.",
        "ledgers/city/a.csv:4: error: 指標: '1.9' is not an indicator of plan city [unknown-indicator]",
        "Use an indicator id of the plan (INDICATORS.md lists them).",
    ),
    Code(
        "nested-target",
        "plan",
        "error",
        "A target at a scope inside another is larger than the enclosing one (城六區 above 北京市).",
        "plans/city.yaml:30:37: error: 1.1: target for 城六區 (5,000萬) is above the target for 北京市 (4,000萬), "
        "which contains it [nested-target]",
        "Correct one of the two values.",
    ),
    Code(
        "components-sum",
        "plan",
        "error",
        "A whole with declared components is not their sum (7.1 ≠ 7.2 + 7.3).",
        "plans/city.yaml:300:33: error: 7.1 北京市 is 121 but 7.2 (77) + 7.3 (43) = 120 [components-sum]",
        "Correct the whole or a component.",
    ),
    Code(
        "out-of-period",
        "plan, ledger",
        "error",
        "A phase outside the plan's period, a deadline before it starts, or a ledger row dated outside it.",
        "ledgers/city/a.csv:8: error: 日期: 2023-12-30 is outside plan city's period 2024-01-01 … 2024-12-31 "
        "[out-of-period]",
        "Correct the date, or record the row in the plan it belongs to.",
    ),
    Code(
        "missing-items",
        "plan",
        "error",
        "A milestone indicator without items to check off.",
        "plans/x.yaml:20:18: error: 3.2 is a milestone; list its items [missing-items]",
        "List the items.",
    ),
    Code(
        "missing-target",
        "plan",
        "error",
        "An indicator without any target.",
        "plans/x.yaml:20:9: error: 3.3 has no target; give it at least a scope [missing-target]",
        "Add a target with its scope.",
    ),
    Code(
        "open-value",
        "plan",
        "warning",
        "The source leaves a value open (20xx人): kept, reported as no_target.",
        "plans/huairou.yaml:266:33: warning: 9.3 懷柔區: the source leaves the value open (20xx人); reported as "
        "no_target [open-value]",
        "Fill in the number once it is known.",
    ),
    Code(
        "blank-owner",
        "plan",
        "warning",
        "A leader or department head the source leaves blank.",
        "plans/hailing.yaml:27:23: warning: 組長 is left blank [blank-owner]",
        "Fill in the name once it is known.",
    ),
    # ledgers
    Code(
        "encoding-error",
        "ledger, plan",
        "error",
        "A file that is neither UTF-8 nor GB18030, or that mixes the two.",
        "ledgers/city/a.csv:12: error: line 12 is not UTF-8 but the lines before it are: the file mixes encodings; "
        "save it again as UTF-8 [encoding-error]",
        "Save the file again in one encoding (UTF-8, or Excel's 'CSV (逗號分隔)').",
    ),
    Code(
        "blank-header",
        "ledger",
        "warning",
        "A header cell is empty; the column under it is ignored.",
        "ledgers/city/a.csv:1:4: warning: column 4 has no header and is ignored; name it or delete the column "
        "[blank-header]",
        "Name the column (DOMAIN §7) if it should be read, or delete it.",
    ),
    Code(
        "title-rows",
        "ledger",
        "warning",
        "Rows above the header (a title such as 2024年拆違台賬（截至9月）); they are skipped.",
        "ledgers/city/a.xlsx:1: warning: rows 1–2 above the header (line 3) are taken as a title and skipped "
        "[title-rows]",
        "Nothing to do if they are a title; if the header is meant to be another row, give it the date, indicator and "
        "area columns.",
    ),
    Code(
        "duplicate-label",
        "ledger",
        "error",
        "Two columns mean the same field (日期 and 完成日期).",
        "ledgers/city/a.csv:1:5: error: header '日期' repeats column 1; keep one [duplicate-label]",
        "Delete or rename one of the columns.",
    ),
    Code(
        "unknown-column",
        "ledger",
        "warning",
        "A column that is no ledger field; it is ignored.",
        "ledgers/city/a.csv:1:9: warning: column '聯繫人' is not a ledger field and is ignored [unknown-column]",
        "Rename it to a field (DOMAIN §7) or leave it: it is not read.",
    ),
    Code(
        "missing-column",
        "ledger",
        "error",
        "A required column (date, indicator, area) or the header row is missing; the file cannot be counted.",
        "ledgers/city/a.csv:1: error: no date column (日期/時間 or date); the file cannot be counted [missing-column]",
        "Add the column with one of its names.",
    ),
    Code(
        "missing-cell",
        "ledger",
        "error",
        "A row with fewer cells than the header, or an empty required cell.",
        "ledgers/city/a.csv:7: error: the row has 3 cells, the header 5; a cell is missing [missing-cell]",
        "Fill in the cell.",
    ),
    Code(
        "extra-cell",
        "ledger",
        "error",
        "A row with more non-empty cells than the header has columns.",
        "ledgers/city/a.csv:7: error: the row has 6 cells, the header 5; remove the extra cells or add headers "
        "[extra-cell]",
        "Remove the extra cells (often an unquoted comma) or add a header.",
    ),
    Code(
        "unknown-item",
        "ledger",
        "error",
        "A row names an item its distinct or milestone indicator does not declare.",
        "ledgers/city/a.csv:9: error: 項目: '來廣營鄉' is not an item of 3.2; did you mean 來廣營? [unknown-item]",
        "Use the declared item name, or declare the item in the plan.",
    ),
    Code(
        "duplicate-ref",
        "ledger",
        "warning",
        "A second row with the same 編號 for the same indicator: counted once.",
        "ledgers/city/a.csv:9: warning: 編號 'A3' of 1.1 was already counted at line 4; this row is not counted again "
        "[duplicate-ref]",
        "Delete the repeated row, or give it its own 編號.",
    ),
    Code(
        "blank-row",
        "ledger",
        "warning",
        "An empty row, skipped.",
        "ledgers/city/a.csv:30: warning: blank row, skipped [blank-row]",
        "Delete the row.",
    ),
    Code(
        "unterminated-quote",
        "ledger",
        "error",
        "A quote opened in a cell is never closed; the rows after it are read on their own.",
        "ledgers/city/a.csv:14: error: a quote opened on this line is never closed; the rows after it are read on "
        "their own [unterminated-quote]",
        "Close the quote.",
    ),
    Code(
        "field-too-large",
        "ledger",
        "error",
        "A cell longer than 131072 characters, usually an unclosed quote.",
        "ledgers/city/a.csv:14: error: a cell runs past 131072 characters, most likely an unclosed quote "
        "[field-too-large]",
        "Close the quote, or shorten the cell.",
    ),
    Code(
        "nul-byte",
        "ledger",
        "error",
        "A NUL byte in a row, usually a damaged file.",
        "ledgers/city/a.csv:3: error: the row contains a NUL byte; remove it [nul-byte]",
        "Remove the byte (save the file again from Excel).",
    ),
    Code(
        "csv-syntax",
        "ledger",
        "error",
        "Malformed CSV quoting in a row.",
        "ledgers/city/a.csv:3: error: malformed CSV ('\"' expected after '\"'); check the quotes [csv-syntax]",
        "Fix the quotes of that row.",
    ),
    # files and usage
    Code(
        "missing-file",
        "file",
        "error",
        "A plan or ledger path that does not exist.",
        "shuzheng: error: no such plan file: plans/x.yaml [missing-file]",
        "Check the path.",
    ),
    Code(
        "not-a-file",
        "file",
        "error",
        "A folder, a pipe or a device where a file is expected.",
        "plans: error: is a folder, not a plan file [not-a-file]",
        "Name a file.",
    ),
    Code(
        "unreadable",
        "file",
        "error",
        "A file that cannot be read (permissions, a damaged XLSX, an .xls workbook or a zip file under a .csv name).",
        "ledgers/city/a.xlsx: error: not a readable XLSX workbook (File is not a zip file); save it again from Excel "
        "[unreadable]",
        "Fix the permissions, or save the file again.",
    ),
    Code(
        "file-too-large",
        "file",
        "error",
        "A plan file larger than any plan (5 MB).",
        "plans/x.yaml: error: plan is 9000000 bytes; plans are at most 5000000 [file-too-large]",
        "Name the right file.",
    ),
    Code(
        "plan-error",
        "usage",
        "error",
        "progress or export was asked to reconcile against a plan that has errors of its own.",
        "shuzheng: error: 1 error(s) in plan files; run `shuzheng check` for details [plan-error]",
        "Run `shuzheng check` and fix the plan.",
    ),
    Code(
        "unknown-plan",
        "usage",
        "error",
        "A plan id that no file under plans/ has (exit 2).",
        "shuzheng: error: unknown plan 'huairuo'; did you mean huairou? (known plans: city, hailing, huairou) "
        "[unknown-plan]",
        "Use a known id or a path.",
    ),
    Code(
        "no-plans",
        "usage",
        "error",
        "No plans/ folder with plans here (exit 2).",
        "shuzheng: error: no plans: plans has no *.yaml files; name a plan file [no-plans]",
        "Run from the folder holding plans/, or name a plan file.",
    ),
    Code(
        "output-is-input",
        "usage",
        "error",
        "export --output names a plan or ledger that was just read (exit 2); it is never overwritten.",
        "shuzheng: error: --output ledgers/city/a.csv is an input file (ledgers/city/a.csv); it would overwrite it. "
        "Choose another file [output-is-input]",
        "Write the export to another file.",
    ),
    Code(
        "output-error",
        "file",
        "error",
        "export --output cannot be written (no such folder, a folder, no permission, disk full); nothing is written "
        "and an existing file is left as it was.",
        "shuzheng: error: cannot write out/簡報.md: the folder out does not exist [output-error]",
        "Create the folder, or choose a file you may write.",
    ),
    Code(
        "usage",
        "usage",
        "error",
        "A bad option value (exit 2).",
        "shuzheng: error: --status 'done' is not a status; use one of no_target (無量化目標), no_data (無數據), "
        "violated (突破), met (已完成), overdue (逾期), behind (滯後), on_track (正常推進) [usage]",
        "Correct the option.",
    ),
]

CODES: dict[str, Code] = {code.name: code for code in _TABLE}
