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
        "yaml-full-width-colon",
        "plan",
        "error",
        "A key followed by a full-width colon '：' (a Chinese keyboard's colon), which YAML reads as text.",
        "plans/x.yaml:24:9: error: full-width colon '：' after 'id'; write an ASCII colon and a space: 'id: '"
        " [yaml-full-width-colon]",
        "Type the colon again with the keyboard in English mode: 'id: chaoyang'.",
    ),
    Code(
        "yaml-full-width-comma",
        "plan",
        "error",
        "An item of an inline list [a, b] holds a full-width comma '，', so two items would be read as one.",
        "plans/x.yaml:31:17: error: list item '望京西园三区，酒仙桥十街坊' holds a full-width comma '，': separate"
        " the items 望京西园三区、酒仙桥十街坊 with an ASCII comma, or quote the item if the comma belongs to it"
        " [yaml-full-width-comma]",
        "Write [望京西园三区, 酒仙桥十街坊]; quote an item whose name really has the comma.",
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
        "—, 1e3, "
        "1 000 and numbers of more than 18 digits before the point are refused.",
        "ledgers/city/a.csv:7: error: quantity: not a number: 'nan' (write e.g. 4000, 4,000, 1.6萬, 100%) "
        "[invalid-number]",
        "Write the number in one of the accepted forms.",
    ),
    Code(
        "invalid-date",
        "plan, ledger, usage",
        "error",
        "Not a date, or a date that does not exist (2024年2月30日).",
        "ledgers/city/a.csv:9: error: date: no such date: '2024年2月30日' [invalid-date]",
        "Write a real date: 2024-03-05, 2024/3/5, 2024.3.5 or 2024年3月5日.",
    ),
    Code(
        "unknown-unit",
        "plan, ledger",
        "error",
        "A unit the registry does not know: in a plan, a ledger's 單位, or a ledger header's brackets "
        "(數量（平方千米）), which leaves the file uncounted.",
        "plans/city.yaml:14:15: error: unknown unit '公頃'; known units: … [unknown-unit]",
        "Use a known unit (平方米, 萬平方米, 平方公里, 米, 公里, 處, 戶, 家, 個, 件, 次, 人, 所, 畝, 條, 輛, 塊, 張, "
        "座, 棟, 間, 套, 項, 名, 宗, "
        "%).",
    ),
    Code(
        "unit-mismatch",
        "plan, ledger",
        "error",
        "A unit that cannot be converted to the indicator's unit (處 is not 平方米), or a row's 單位 that "
        "disagrees with the unit in its column's header (平方米 under 完成量（萬平方米）).",
        "ledgers/city/a.csv:5: error: unit: 處 cannot be counted in 1.1's unit 平方米 [unit-mismatch]",
        "Record the row in the indicator's unit, or under the right indicator; under a header with a unit, "
        "leave 單位 empty or write the header's unit.",
    ),
    Code(
        "duplicate-id",
        "plan",
        "error",
        "Two tasks, indicators, areas, groups, items or phases share a name or id (１.１ and 1.1. are 1.1).",
        "plans/city.yaml:88:15: error: duplicate indicator id '1.2' (first at line 40) [duplicate-id]",
        "Give each its own id.",
    ),
    Code(
        "area-cycle",
        "plan",
        "error",
        "An area written inside itself: its own child, or the root repeated among its children.",
        "plans/x.yaml:14:15: error: area '海淀區' is inside itself (first at line 12); an area appears once in"
        " the tree [area-cycle]",
        "Remove the repeated area, or give the child its own name.",
    ),
    Code(
        "group-cycle",
        "plan",
        "error",
        "A group that contains itself, directly or through other groups.",
        "plans/x.yaml:30:42: error: group '城六區' would contain itself through its member '中心城區' [group-cycle]",
        "Remove the member that leads back; a group lists areas or smaller groups.",
    ),
    Code(
        "component-cycle",
        "plan",
        "error",
        "Indicators that are components of each other (1.1 → 1.2 → 1.1).",
        "plans/x.yaml:88:23: error: component 1.1 of 1.2 leads back to 1.1 (1.1 → 1.2 → 1.1); components form"
        " no circle [component-cycle]",
        "Keep the components on the part: the whole lists its parts, a part lists none of its wholes.",
    ),
    Code(
        "unknown-area",
        "plan, ledger, usage",
        "error",
        "A scope, group member, ledger area or --district the plan's area tree does not know.",
        "ledgers/city/a.csv:6: error: area: unknown area '朝阳门'; did you mean 朝陽區? [unknown-area]",
        "Use a name of the plan's area tree (any spelling: 朝阳, 朝陽區), or add the area to the plan.",
    ),
    Code(
        "ambiguous-area",
        "plan, ledger, usage",
        "error",
        "A short name that fits more than one area.",
        "ledgers/x/a.csv:3: error: '城' could be 城關鎮, 城北鄉; write the full name [ambiguous-area]",
        "Write the full name.",
    ),
    Code(
        "unknown-indicator",
        "plan, ledger",
        "error",
        "A ledger row or a component names an indicator the plan does not have.",
        "ledgers/city/a.csv:4: error: indicator: '1.9' is not an indicator of plan city [unknown-indicator]",
        "Use an indicator id of the plan (INDICATORS.md lists them).",
    ),
    Code(
        "nested-target",
        "plan",
        "error",
        "A target at a scope inside another is larger than the enclosing one (城六區 above 北京市).",
        "plans/city.yaml:30:37: error: 1.1: target for 城六區 (5,000萬) is above the target for 北京市 (4,000萬), "
        "which "
        "contains it [nested-target]",
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
        "ledgers/city/a.csv:8: error: date: 2023-12-30 is outside plan city's period 2024-01-01 … 2024-12-31 "
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
        "no_target "
        "[open-value]",
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
    Code(
        "unknown-department",
        "plan",
        "warning",
        "A task's lead (or the default lead) names a department that organisation.departments does not list.",
        "plans/x.yaml:52:21: warning: lead department '市容局' is not among organisation.departments; did you"
        " mean 市容科? [unknown-department]",
        "Correct the name, or add the department to organisation.departments.",
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
        "Name the column (see the README's ledger headers) if it should be read, or delete it.",
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
        "Rename it to a field (see the README's ledger headers) or leave it: it is not read.",
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
        "ledgers/city/a.csv:9: error: item: '來廣營鄉' is not an item of 3.2; did you mean 來廣營? [unknown-item]",
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
    Code(
        "cell-error",
        "ledger",
        "error",
        "An XLSX cell shows an Excel error value (#DIV/0!, #N/A, #VALUE!, #REF! …) instead of a value; "
        "its row is rejected.",
        "ledgers/city/a.xlsx:7:4: error: cell D7 shows the error #DIV/0! instead of a value; "
        "correct its formula [cell-error]",
        "Correct the formula, or type the value.",
    ),
    Code(
        "bad-cell",
        "ledger",
        "error",
        "An XLSX cell whose stored value cannot be read (a number cell that holds no number, a shared string "
        "the workbook does not hold, a reference that is no cell), written by a faulty program; its row is rejected.",
        "ledgers/city/a.xlsx:9:2: error: cell B9 points to shared string '88', "
        "which the workbook does not hold [bad-cell]",
        "Open the workbook in Excel or WPS and save it again.",
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
        "old-workbook",
        "file",
        "error",
        "A workbook that is not an .xlsx and is not read: an Excel 97-2003 (.xls) or WPS (.et) workbook, an .xlsb "
        "or .ods file, or a password-protected .xlsx (Excel encrypts it into the old .xls container).",
        "ledgers/city/a.xlsx: error: encrypted or old .xls workbook: save it as .xlsx (without a password) "
        "[old-workbook]",
        "Save it as .xlsx (文件 → 另存為 → Excel 工作簿) without a password.",
    ),
    Code(
        "xlsx-too-large",
        "file",
        "error",
        "An XLSX part would inflate past a safe bound (256 MB for shared strings and styles, 1 GB a sheet, 2 GB in "
        "all) or more than 200 times its packed size: a zip bomb, or more than a ledger workbook holds. Refused "
        "before anything is inflated.",
        "ledgers/city/a.xlsx: error: the workbook's part xl/sharedStrings.xml would inflate to 1,073,741,824 bytes "
        "(1,030 times its packed size); it is refused unread, as a zip bomb or more than a ledger workbook holds "
        "(at most 268,435,456 bytes a part, 200 times packed) [xlsx-too-large]",
        "Save the workbook again from Excel, or split it; a real ledger is far smaller.",
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
        "--output names a plan or ledger that was just read, or a path inside plans/ or ledgers/ (exit 2); "
        "nothing is written there.",
        "shuzheng: error: --output ledgers/city/a.csv is an input file (ledgers/city/a.csv); it would overwrite it. "
        "Choose another file [output-is-input]",
        "Write the export to another file.",
    ),
    Code(
        "output-error",
        "file",
        "error",
        "--output cannot be written (no such folder, no permission, disk full): nothing is written and an existing "
        "file is left as it was; or standard output cannot take the output (a full disk, `> /dev/full`, EIO).",
        "shuzheng: error: cannot write out/簡報.md: the folder out does not exist [output-error]",
        "Create the folder, or choose a file you may write.",
    ),
    Code(
        "invalid-period",
        "usage",
        "error",
        "collect --period is not a period of the plan's reporting cadence (exit 2).",
        "shuzheng: error: --period: period '2024-9-1' is daily, but the plan reports monthly; write it like 2024-09 "
        "[invalid-period]",
        "Write the period as the cadence counts it: 2024-09, 2024-W37, 2024-Q3 or 2024-09-11.",
    ),
    Code(
        "unknown-reporting-unit",
        "usage",
        "error",
        "template --unit names no reporting unit of the plan (reporting: units:), or the plan names none (exit 2).",
        "shuzheng: error: --unit '朝阳县' is not a reporting unit of plan city (units: 東城區、西城區 …) "
        "[unknown-reporting-unit]",
        "Use a unit the plan's reporting: block names, or add it there.",
    ),
    Code(
        "output-not-a-file",
        "usage",
        "error",
        "--output names a character or block device, a FIFO, a socket or a folder (exit 2); nothing is replaced.",
        "shuzheng: error: --output out/null is a character device, not a regular file; nothing was written "
        "[output-not-a-file]",
        "Name a regular file, or a path where nothing is yet; leave out --output to write to stdout.",
    ),
    Code(
        "as-of-before-period",
        "usage",
        "warning",
        "--as-of is a day before the plan's period starts: no ledger row counts yet, every target reads as not begun.",
        "shuzheng: warning: --as-of 2023-12-31 is before the period of plan city starts (2024-01-01); nothing counts "
        "yet [as-of-before-period]",
        "Check the year of --as-of.",
    ),
    Code(
        "usage",
        "usage",
        "error",
        "A bad option value (exit 2).",
        "shuzheng: error: --status 'done' is not a status; use one of no_target, no_data, violated, met, overdue, "
        "behind, on_track [usage]",
        "Correct the option.",
    ),
    # every row accounted for: files, sheets, 編號 and plausibility
    Code(
        "correction",
        "ledger",
        "info",
        "A negative quantity: a correction, counted and listed.",
        "ledgers/city/a.csv:12: info: a correction of -300 to 1.1 at 朝陽區 [correction]",
        "Nothing, if the correction is meant.",
    ),
    Code(
        "conflicting-ref",
        "ledger",
        "error",
        "A 編號 used again for a different record (another quantity, date, area or item); only its first use "
        "(the earliest-dated row) is counted.",
        "ledgers/city/b.csv:4: error: 編號 'CG-7' of 1.1 is already used at ledgers/city/a.csv:9 for a different "
        "record; only the first use is counted: give this row its own 編號 [conflicting-ref]",
        "Give each record its own 編號, or delete the wrong row.",
    ),
    Code(
        "outside-scope",
        "ledger",
        "warning",
        "A valid row whose area lies in no target's scope of its indicator: it counts towards nothing.",
        "ledgers/city/a.csv:7: warning: 大興區 is in no target's scope of 4.1; the row is valid but counts "
        "towards nothing [outside-scope]",
        "Check the row's area and indicator; if the plan should count it, give the plan a target there.",
    ),
    Code(
        "implausible-quantity",
        "ledger",
        "warning",
        "One row larger than its indicator's largest target: counted, but most likely a wrong cell or unit "
        "(2萬 in a 萬平方米 column is 2億平方米).",
        "ledgers/city/a.csv:5: warning: 2萬 is 20000萬平方米, more than 1.1's largest target (4000萬平方米); "
        "counted, but check the cell and its unit [implausible-quantity]",
        "Correct the quantity or its unit.",
    ),
    Code(
        "invalid-base",
        "ledger",
        "error",
        "A ratio row whose base (基數) is 0 or negative.",
        "ledgers/city/a.csv:5: error: base: the base must be more than 0, not 0 [invalid-base]",
        "Give the number the quantity is a share of.",
    ),
    Code(
        "above-base",
        "ledger",
        "error",
        "A ratio row whose quantity exceeds its base (12 handled of 10 reported).",
        "ledgers/city/a.csv:5: error: quantity: 12 handled of a base of 10: the quantity cannot exceed its base "
        "[above-base]",
        "Correct the quantity or the base.",
    ),
    Code(
        "item-area",
        "ledger",
        "error",
        "A row records an item at an area other than the one the plan gives it.",
        "ledgers/city/a.csv:5: error: area: 將臺 is an item of 朝陽區; this row records it at 海淀區 [item-area]",
        "Record the item at its own area, or correct the item.",
    ),
    Code(
        "repeated-header",
        "ledger",
        "warning",
        "A header row again inside a file (two exports pasted together); the rows below it are read with its columns.",
        "ledgers/city/a.csv:40: warning: a header row again (first at line 1); the rows below it are read with "
        "its columns [repeated-header]",
        "Nothing to do; or split the file in two.",
    ),
    Code(
        "same-file",
        "file",
        "warning",
        "One file reached by two paths or links: it is read once.",
        "ledgers/city/b.csv: warning: the same file as ledgers/city/a.csv (another path or link to it); read once "
        "[same-file]",
        "Name each file once; remove the link.",
    ),
    Code(
        "duplicate-file",
        "file",
        "warning",
        "Two ledger files with the same content (Windows' 「 - 副本」 copy): the second is not read.",
        "ledgers/city/a - 副本.csv: warning: the same content as ledgers/city/a.csv (a copy of it?); read once "
        "[duplicate-file]",
        "Delete the copy.",
    ),
    Code(
        "hidden-sheet",
        "file",
        "warning",
        "A hidden sheet of a workbook: it is not read.",
        "ledgers/city/a.xlsx[輔助]: warning: sheet '輔助' is hidden and is not read; unhide it if it holds ledger "
        "rows [hidden-sheet]",
        "Unhide the sheet if it holds rows; otherwise nothing.",
    ),
    Code(
        "sheet-without-header",
        "file",
        "warning",
        "A visible sheet without a ledger header: it is not read.",
        "ledgers/city/a.xlsx[說明]: warning: sheet '說明' has no ledger header (日期, 指標, 地區 …) and is not read "
        "[sheet-without-header]",
        "Give the sheet a header row if it holds rows; otherwise nothing.",
    ),
    Code(
        "unassigned-folder",
        "file",
        "warning",
        "A folder or file under ledgers/ that names no plan: not read.",
        "ledgers/朝阳区: warning: this folder under ledgers/ names no plan (plans: city, hailing, huairou); its "
        "rows are not read — move them to ledgers/<plan id>/ [unassigned-folder]",
        "Move the files to ledgers/<plan id>/.",
    ),
    Code(
        "no-ledgers",
        "file",
        "warning",
        "A plan with no ledger file at all: every target shows no progress.",
        "plans/city.yaml: warning: plan city has no ledger file (looked in ledgers/city/ and the plan's own paths) "
        "[no-ledgers]",
        "Put the plan's ledgers under ledgers/<plan id>/.",
    ),
    Code(
        "unsupported-file",
        "file",
        "warning",
        "A file in a ledger folder that is no ledger (.txt, .docx …).",
        "ledgers/city/說明.txt: warning: not a ledger file (.csv, .xlsx); it is not read [unsupported-file]",
        "Move it out of the ledger folder, or save it as .csv or .xlsx.",
    ),
    Code(
        "file-changed",
        "file",
        "error",
        "A file that changed while it was read: its rows are not counted.",
        "ledgers/city/a.csv: error: the file was changed while it was read; read it again [file-changed]",
        "Run the command again once the file is saved.",
    ),
]

CODES: dict[str, Code] = {code.name: code for code in _TABLE}
