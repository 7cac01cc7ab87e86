"""The messages of a load that are not a row's reject: a whole file that fails, a mapping
that cannot be used, a warning. Like the reject reasons (``kernel.reasons``), each is a
code and its parameters (``Text``), written in the reader's language only when shown
(DESIGN.md, "Validation": ``--lang zh|en``, default zh); the templates, in Chinese and
English, are here, in ``TEMPLATES``.

A parameter may itself be a ``Text`` (the kind of file a message names, the message of
a first reject), written in the same language. What the lake keeps of a message (a
stray number's warning, in the manifest's ``detected``) is its code and parameters, so
a reader gets it in their language (``Text.stored``, ``Text.from_stored``).
"""

from __future__ import annotations

from typing import Any

from kernel.errors import redact
from kernel.reasons import DEFAULT_LANGUAGE
from kernel.reasons import message as reject_message

# code -> (English, Chinese). Placeholders are the parameters' names.
TEMPLATES: dict[str, tuple[str, str]] = {
    # -- a file, whatever it holds ----------------------------------------------------
    "in_file": ("{file}: {fault}", "{file}：{fault}"),
    "empty_file": ("the file is empty", "文件是空的"),
    "binary_file": (
        "the file holds binary data (NUL bytes), not text",
        "文件含有二进制数据（NUL 字节），不是文本",
    ),
    "file_too_large": (
        "the file is {size:,} bytes, more than the {limit:,} a file may have "
        "(INGEST_MAX_FILE_BYTES); split it into smaller files, or raise the limit",
        "文件有 {size:,} 字节，超过了单个文件允许的 {limit:,} 字节（INGEST_MAX_FILE_BYTES）；"
        "请拆分成较小的文件，或调高该上限",
    ),
    "not_read_type": (
        "files of type {suffix} are not read; save it as .csv, .xlsx or .xls",
        "不读取 {suffix} 类型的文件；请另存为 .csv、.xlsx 或 .xls",
    ),
    "cannot_be_loaded": (
        "cannot be loaded: {detail}",
        "无法加载：{detail}",
    ),
    "outside_folder": (
        "the folder is a link that points outside the inbox, and files outside the inbox "
        "are never read, so none of its files was loaded; copy the files themselves into "
        "the inbox",
        "该文件夹是指向收件箱之外的链接，收件箱之外的文件一律不读取，因此其中的文件均未"
        "加载；请把文件本身复制到收件箱中",
    ),
    "outside_file": (
        "the file is a link that points outside the inbox, and files outside the inbox are "
        "never read; copy the file itself into the inbox",
        "该文件是指向收件箱之外的链接，收件箱之外的文件一律不读取；请把文件本身复制到收件箱中",
    ),
    # -- encodings (ingest.encoding) ----------------------------------------------------
    "utf16_undecodable": (
        "looks like {encoding} text without a byte-order mark, but not all of it decodes "
        "as such; save it as UTF-8 or GB18030 and send it again; nothing was loaded",
        "看起来是不带字节顺序标记（BOM）的 {encoding} 文本，但其中有无法解码的内容；"
        "请另存为 UTF-8 或 GB18030 编码后重新发送；未加载任何数据",
    ),
    "other_encoding": (
        "looks like {encoding} text; save it as UTF-8 or GB18030 and send it again; "
        "nothing was loaded",
        "看起来是 {encoding}编码的文本；请另存为 UTF-8 或 GB18030 编码后重新发送；未加载任何数据",
    ),
    "encoding_utf-16-le": ("UTF-16 (little-endian)", "UTF-16（小端序）"),
    "encoding_utf-16-be": ("UTF-16 (big-endian)", "UTF-16（大端序）"),
    "encoding_big5": ("Big5 (traditional Chinese)", "Big5（繁体中文）"),
    "encoding_shift_jis": ("Shift-JIS (Japanese)", "Shift-JIS（日文）"),
    "unknown_encoding": (
        "the file is neither UTF-8 nor GB18030 text; save it again as CSV (UTF-8) from Excel",
        "文件既不是 UTF-8 也不是 GB18030 编码的文本；请在 Excel 中重新另存为 CSV（UTF-8）",
    ),
    # -- a CSV (ingest.reading) -----------------------------------------------------------
    "no_header": (
        "no recognisable header row: none of the first {rows} rows names the columns of an "
        "activity log, event summary, roster, organization, district or activity types file "
        "(first row: {first!r}); "
        "rename the headers as in the README or add a mapping",
        "找不到可识别的表头行：前 {rows} 行都没有给出活动记录、活动汇总、人员名册、单位、区域或"
        "活动类型文件的列名"
        "（第一行：“{first}”）；请按 README 修改表头，或添加映射文件",
    ),
    "no_rows": ("the file has no rows", "文件没有任何行"),
    "row_too_long": (
        "the row on line {line} is {size:,} bytes long, more than the {limit:,} a row may "
        "have (a quote left open runs on to the end of the file); close the quote or split "
        "the cell, and load the file again",
        "第 {line} 行长 {size:,} 字节，超过了一行允许的 {limit:,} 字节（未闭合的引号会一直延续到"
        "文件末尾）；请补上引号或拆分该单元格，再重新加载",
    ),
    "csv_unparsable": (
        "the CSV cannot be parsed: {detail}",
        "无法解析该 CSV 文件：{detail}",
    ),
    "several_sheets": (
        "the workbook has {count} sheets with data ({sheets}) and only one can be read "
        "here; save each sheet as its own file",
        "该工作簿有 {count} 个含数据的工作表（{sheets}），此处只能读取一个；请把每个工作表"
        "另存为单独的文件",
    ),
    # -- a workbook (ingest.excel) --------------------------------------------------------
    "workbook_html": (
        "the workbook cannot be opened: it is HTML or XML text saved under an Excel name "
        "(as some web systems export); open it in Excel and save it as .xlsx",
        "无法打开该工作簿：它是以 Excel 文件名保存的 HTML 或 XML 文本（一些网页系统会这样导出）；"
        "请用 Excel 打开后另存为 .xlsx",
    ),
    "not_a_workbook": (
        "the workbook cannot be opened: it is neither an .xlsx nor an .xls file; open it "
        "in Excel and save it as .xlsx",
        "无法打开该工作簿：它既不是 .xlsx 也不是 .xls 文件；请用 Excel 打开后另存为 .xlsx",
    ),
    "workbook_unopenable": (
        "the workbook cannot be opened: {detail}",
        "无法打开该工作簿：{detail}",
    ),
    "workbook_password": (
        "the workbook cannot be opened: {detail}; if it has a password, save it without one",
        "无法打开该工作簿：{detail}；如果它设有密码，请去掉密码后另存",
    ),
    "workbook_damaged": (
        "the workbook is damaged: {detail}; open it in Excel and save it again",
        "该工作簿已损坏：{detail}；请用 Excel 打开后重新保存",
    ),
    "no_sheet_with_data": (
        "the workbook has no sheet with data ({empty})",
        "该工作簿没有含数据的工作表（{empty}）",
    ),
    "no_sheet_header": (
        "no sheet has a recognisable header row: none of the first {rows} rows of "
        "{described} names the columns of an activity log, event summary, roster, "
        "organization, district or activity types file{empty}; rename the headers as in "
        "the README or add a mapping",
        "没有工作表含可识别的表头行：{described}的前 {rows} 行都没有给出活动记录、活动汇总、"
        "人员名册、单位、区域或活动类型文件的列名{empty}；请按 README 修改表头，或添加映射文件",
    ),
    "sheet_first_row": (
        "sheet {sheet!r} (first row: {first!r})",
        "工作表“{sheet}”（第一行：“{first}”）",
    ),
    "or": (" or ", "或 "),
    "sheet_empty": ("sheet {sheet!r} is empty", "工作表“{sheet}”是空的"),
    "sheets_empty": ("sheets {sheets} are empty", "工作表{sheets}是空的"),
    "in_parentheses": (" ({text})", "（{text}）"),
    "sheet_too_many_rows": (
        "sheet {sheet!r} reaches row {row:,}, past the {limit:,} rows a sheet may have in "
        "Excel; split it into sheets of at most {limit:,} rows, or save it as a CSV file "
        "(UTF-8), and load that",
        "工作表“{sheet}”一直到第 {row:,} 行，超过了 Excel 工作表最多的 {limit:,} 行；请拆分成"
        "每个不超过 {limit:,} 行的工作表，或另存为 CSV 文件（UTF-8）后加载",
    ),
    "sheet_too_many_cells": (
        "sheet {sheet!r} reaches {rows:,} rows up to {width:,} columns wide, more than the "
        "{limit:,} cells (rows times the widest row) a workbook's sheets may hold in all; "
        "save its sheets as CSV files (UTF-8) and load those instead",
        "工作表“{sheet}”有 {rows:,} 行、最宽 {width:,} 列，超过了一个工作簿的工作表合计允许的 "
        "{limit:,} 个单元格（行数乘以最宽一行）；请把各工作表另存为 CSV 文件（UTF-8）后加载",
    ),
    "sheet_too_much_text": (
        "sheet {sheet!r}: at row {row:,} the text of the workbook's cells passes {limit:,} "
        "characters, more than a workbook may hold in all; save its sheets as CSV files "
        "(UTF-8) and load those instead",
        "工作表“{sheet}”：到第 {row:,} 行时，工作簿单元格的文字已超过 {limit:,} 个字符，"
        "超过了一个工作簿允许的总量；请把各工作表另存为 CSV 文件（UTF-8）后加载",
    ),
    "long_cell": (
        "sheet {sheet!r}, row {row:,}, column {column}: the cell holds {length:,} "
        "characters, more than the {limit:,} a cell may have in Excel; shorten it, and "
        "load the file again",
        "工作表“{sheet}”第 {row:,} 行 {column} 列：该单元格有 {length:,} 个字符，超过了 Excel "
        "单元格允许的 {limit:,} 个；请缩短后重新加载",
    ),
    "workbook_unpacks_too_large": (
        "the workbook unpacks to {total:,} bytes, more than the {limit:,} a workbook may "
        "unpack to (of which {part} takes {size:,}); save its sheets as CSV files (UTF-8) "
        "and load those instead",
        "该工作簿解压后有 {total:,} 字节，超过了允许的 {limit:,} 字节（其中 {part} 占 "
        "{size:,} 字节）；请把各工作表另存为 CSV 文件（UTF-8）后加载",
    ),
    "workbook_packing_ratio": (
        "{part} unpacks to {size:,} bytes from {packed:,}, more than {ratio} times its "
        "packed size (a spreadsheet program's packs 5 to 20 times: this file was made to "
        "exhaust memory, or is damaged); save its sheets as CSV files (UTF-8) and load "
        "those instead",
        "{part} 从 {packed:,} 字节解压为 {size:,} 字节，超过压缩大小的 {ratio} 倍（电子表格软件"
        "的压缩比为 5 到 20 倍：该文件是为耗尽内存而制作的，或已损坏）；请把各工作表另存为 "
        "CSV 文件（UTF-8）后加载",
    ),
    "part_shared_text": (
        "its shared text, xl/sharedStrings.xml,",
        "其共享文本 xl/sharedStrings.xml",
    ),
    "part_sheet": ("sheet {sheet!r}", "工作表“{sheet}”"),
    "part_other": ("its part {part}", "其部件 {part}"),
    "stray_number": (
        "sheet {sheet!r}, cell {cell}: a number below the data ({value}) was not loaded; "
        "if it belongs to the table, move it into a row of it",
        "工作表“{sheet}”单元格 {cell}：数据下方的一个数字（{value}）未加载；如果它属于该表，"
        "请把它移到表中的某一行",
    ),
    # -- a table's columns and rows (ingest.loader, ingest.landing) ----------------------
    "rename_key_missing": (
        "the mapping {mapping} renames {key!r}, but the file has no such header (its "
        "headers: {headers}); correct the key in `rename`, or narrow the mapping's `match` "
        "to the files that have it; nothing was loaded",
        "映射 {mapping} 重命名了“{key}”，但文件中没有这个表头（文件的表头：{headers}）；"
        "请改正 `rename` 中的键，或把映射的 `match` 缩小到含有该表头的文件；未加载任何数据",
    ),
    "no_column": (
        "no column gives {need}: {kind} needs {options} on every row; add that column, or "
        "name the header that holds it in a mapping (rename: {{your header: {column}}})"
        "{headcounts}; nothing was loaded",
        "没有一列给出{need}：{kind}的每一行都需要 {options}；请加上该列，或在映射文件中指明"
        "存放它的表头（rename: {{你的表头: {column}}}）{headcounts}；未加载任何数据",
    ),
    "column_option": ("{column} ({alias})", "{column}（{alias}）"),
    "and": (" and ", "和 "),
    "list_comma": (", ", "、"),
    "headcount_hint": (
        "; a file that counts participants per activity, with no person on its rows, is an "
        "event summary, which loads with a participants column (参与人数; a mapping may "
        "rename its headcount column to participants, with `kind: events`)",
        "；按活动统计参与人数、行上没有具体人员的文件是活动汇总表，需有参与人数列（参与人数；"
        "映射文件可把人数列重命名为 participants，并写上 `kind: events`）才能加载",
    ),
    "kind_activity": (
        "an activity log (one row per person per activity)",
        "活动记录（每人每次活动一行）",
    ),
    "kind_events": (
        "an event summary (one row per activity held, with its headcount)",
        "活动汇总表（每场活动一行，含参与人数）",
    ),
    "kind_people": ("a roster", "人员名册"),
    "kind_organizations": ("an organizations file", "单位文件"),
    "kind_districts": ("a districts file", "区域文件"),
    "kind_activity_types": ("an activity types file", "活动类型文件"),
    "no_rows_of_data": (
        "the file has a header but no rows of data; nothing was loaded",
        "文件只有表头，没有数据行；未加载任何数据",
    ),
    "every_row_rejected": (
        "none of its {rows} rows could be loaded ({counts}); the first, line {line}: "
        "{first}; nothing was loaded (an earlier version of the file, if any, stays in "
        "effect): mend the file and load it again",
        "全部 {rows} 行都无法加载（{counts}）；首个被拒收的是第 {line} 行：{first}；未加载任何数据"
        "（该文件如有早先的版本，仍然有效）：请修改文件后重新加载",
    ),
    "repair_mismatch": (
        "read again, it gives {read} rows read, {loaded} loaded and {rejected} rejected, "
        "where its batch recorded {was_read}, {was_loaded} and {was_rejected} (this version "
        "validates it otherwise); load it as a new batch (python -m ingest --inbox …) or "
        "restore the lake from a backup",
        "重新读取后得到读入 {read} 行、加载 {loaded} 行、拒收 {rejected} 行，而其批次记录的是 "
        "{was_read}、{was_loaded} 和 {was_rejected}（本版本的校验方式不同）；请作为新批次加载"
        "（python -m ingest --inbox …），或从备份恢复数据湖",
    ),
    "reference_refused": (
        "it would replace {replaced} and drop {dropped} of the {known} {what} the warehouse "
        "knows ({listed}); a reference file that drops more than half of them is refused, "
        "in case it is another inbox's file of the same name. If it really is the new "
        "list, load it again with --replace-reference (make ingest REPLACE_REFERENCE=1); "
        "nothing was loaded",
        "它将取代 {replaced}，并去掉数据仓库已知的 {known} 个{what}中的 {dropped} 个（{listed}）；"
        "去掉一半以上的参考文件会被拒绝，以防它是另一个收件箱的同名文件。如果它确实是新的"
        "名单，请加上 --replace-reference（make ingest REPLACE_REFERENCE=1）重新加载；"
        "未加载任何数据",
    ),
    "what_districts": ("district codes", "区域编码"),
    "what_organizations": ("organization codes", "单位编码"),
    "what_people": ("people", "人员"),
    # -- mappings (ingest.mapping) --------------------------------------------------------
    "mapping_unusable": ("{error}; nothing was loaded", "{error}；未加载任何数据"),
    "mapping_unusable_repair": ("{error}; nothing was repaired", "{error}；未修复任何批次"),
    "mapping_in": ("{source}: {fault}", "{source}：{fault}"),
    "mapping_not_column": (
        "{key}: {column!r} is not a column; use one of {columns}",
        "{key}：“{column}”不是列名；请使用 {columns} 之一",
    ),
    "mapping_not_table": (
        "{key} must be a table of `name: value` lines",
        "{key} 必须是由 `名称: 值` 各行组成的表",
    ),
    "mapping_not_yaml_table": (
        "a mapping is a YAML table (key: value lines)",
        "映射文件应是 YAML 表（`键: 值` 各行）",
    ),
    "mapping_unknown_key": (
        "unknown key {key!r}; the keys are {keys}",
        "未知的键“{key}”；可用的键为 {keys}",
    ),
    "mapping_unknown_kind": (
        "kind {kind!r} is not one of {kinds}",
        "kind “{kind}”不是 {kinds} 之一",
    ),
    "mapping_units": (
        "units: only `hours: minutes` (an hours column that holds minutes) is understood, "
        "not `{column}: {unit}`",
        "units：只支持 `hours: minutes`（时长列中填的是分钟数），不支持 `{column}: {unit}`",
    ),
    "mapping_format_column": (
        "formats: {column!r} is not a date or time column; a format is given for one of {columns}",
        "formats：“{column}”不是日期或时间列；格式只能为 {columns} 之一指定",
    ),
    "mapping_bad_format": (
        "formats: {column}: {form!r} is not a date/time format strptime can use ({problem}); "
        'write it as e.g. {column}: "{example}"',
        "formats：{column}：“{form}”不是 strptime 能用的日期/时间格式（{problem}）；"
        '请写成如 {column}: "{example}"',
    ),
    "mapping_mixed_kinds": (
        "its columns ({columns}) do not belong to one kind of file; split it into one "
        "mapping per kind",
        "它的列（{columns}）不属于同一种文件；请按文件种类拆分成多个映射",
    ),
    "mapping_ambiguous_kind": (
        "{named} fit {fitting} files alike: say which kind of file it is for with "
        "`kind: {first}` (or {others})",
        "{named}同样适用于 {fitting} 文件：请用 `kind: {first}`（或 {others}）说明它用于哪种文件",
    ),
    "mapping_its_columns": ("its columns ({columns})", "它的列（{columns}）"),
    "mapping_no_columns": ("it names no column and", "它没有指定任何列，"),
    "mapping_not_yaml": (
        "cannot be read as YAML: {detail}",
        "无法作为 YAML 读取：{detail}",
    ),
    "mapping_list": ("mappings must be a list", "mappings 必须是列表"),
    "mapping_no_match": (
        "it has no `match`, and the inbox holds {count} files ({shown}): say which files "
        'it is for, e.g. match: ["{example}"]',
        "它没有 `match`，而收件箱中有 {count} 个文件（{shown}）：请说明它用于哪些文件，"
        '如 match: ["{example}"]',
    ),
    # -- the command line (ingest.cli) ------------------------------------------------
    "no_files": ("no CSV or Excel files in {inbox}", "{inbox} 中没有 CSV 或 Excel 文件"),
    "inbox_not_folder": (
        "inbox {inbox} is not a folder; create it or pass --inbox",
        "收件箱 {inbox} 不是文件夹；请创建它或用 --inbox 指定",
    ),
    "repair_inbox_not_folder": (
        "inbox {inbox} is not a folder; pass --inbox",
        "收件箱 {inbox} 不是文件夹；请用 --inbox 指定",
    ),
    "no_damaged_batch": (
        "no damaged batch: every batch file matches the manifest",
        "没有损坏的批次：每个批次文件都与清单相符",
    ),
    "repaired": ("repaired {file} (batch {batch})", "已修复 {file}（批次 {batch}）"),
    "repair_refused": ("{file} (batch {batch}): {why}", "{file}（批次 {batch}）：{why}"),
    "repair_no_original": (
        "its original {name} is not in {inbox}; put it there under that name",
        "其原始文件 {name} 不在 {inbox} 中；请以该名称把它放回那里",
    ),
    "repair_other_file": (
        "{name} in {inbox} is not the file the batch came from (its SHA-256 differs): a "
        "corrected file loads as a new batch (python -m ingest); put the original back to "
        "repair this one",
        "{inbox} 中的 {name} 不是该批次的来源文件（SHA-256 不同）：修改过的文件应作为新批次"
        "加载（python -m ingest）；要修复这个批次，请放回原始文件",
    ),
    "repair_unreadable": ("{detail}", "无法读取原始文件：{detail}"),
    "repair_no_sheet": (
        "the original no longer has the sheet of {file}",
        "原始文件中已没有 {file} 的工作表",
    ),
    "withdrew": (
        "withdrew {file} (batch {batch}, {rows} rows)",
        "已撤回 {file}（批次 {batch}，{rows} 行）",
    ),
    "withdraw_next": (
        "run make build to publish without it; take the file out of the inbox too, or the "
        "next load lands it again",
        "请运行 make build 发布不含它的数据；同时把该文件移出收件箱，否则下次加载会再次载入",
    ),
    "nothing_to_withdraw": (
        "no active batch in the lake is named {name}; python -m ingest status lists the "
        "files (a file withdrawn or replaced already is no longer active)",
        "数据湖中没有名为 {name} 的有效批次；python -m ingest status 会列出各文件"
        "（已撤回或已被取代的文件不再有效）",
    ),
    "withdraw_ambiguous": (
        "{name} names {count} files ({files}); give the one to withdraw as python -m "
        "ingest status lists it",
        "{name} 对应 {count} 个文件（{files}）；请按 python -m ingest status 列出的名称给出"
        "要撤回的那一个",
    ),
    "unknown_reason": (
        "unknown reason code {reason!r}; the codes are {codes} (see python -m ingest --help)",
        "未知的拒收原因代码“{reason}”；可用的代码为 {codes}（见 python -m ingest --help）",
    ),
    "no_such_batch": (
        "no active batch in the lake is named {names}; python -m ingest status lists the files",
        "数据湖中没有名为 {names} 的有效批次；python -m ingest status 会列出各文件",
    ),
    "dry_run_done": (
        "dry run: nothing was written to the lake",
        "试运行：没有向数据湖写入任何内容",
    ),
}


class Text:
    """A message: its code (a key of ``TEMPLATES``) and parameters, written in a
    language by ``render``. ``str()`` gives the English (for logs and tests).
    ``redacted``: long digit runs masked once written (``kernel.errors.redact``), for a
    message that quotes a file or a library."""

    def __init__(self, code: str, redacted: bool = False, **params: Any) -> None:
        if code not in TEMPLATES and code not in (PLAIN, PLAIN_BOTH, REJECT):
            raise KeyError(f"no message {code!r}")
        self.code = code
        self.params = params
        self.redacted = redacted

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        if self.code == PLAIN:  # a message written in English alone (an older lake's)
            text = str(self.params["text"])
        elif self.code == PLAIN_BOTH:
            text = str(self.params["zh" if lang == "zh" else "en"])
        elif self.code == REJECT:  # a reject's message (kernel.reasons)
            p = self.params
            text = reject_message(p["reason"], p["column"], p["value"], lang)
        else:
            english, chinese = TEMPLATES[self.code]
            values = {k: _written(v, lang) for k, v in self.params.items()}
            text = (chinese if lang == "zh" else english).format(**values)
        return redact(text) if self.redacted else text

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return f"Text({self.code!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash(self.code)

    def stored(self) -> dict[str, Any]:
        """The message as the manifest keeps it: its code and parameters (plain values)."""
        return {"code": self.code, **self.params}

    @classmethod
    def from_stored(cls, stored: Any) -> Text:
        """A message the manifest kept: code and parameters, or (an older lake's) its
        English text, shown as it is."""
        if isinstance(stored, dict) and stored.get("code") in TEMPLATES:
            params = {k: v for k, v in stored.items() if k != "code"}
            return cls(stored["code"], **params)
        return cls(PLAIN, text=str(stored))


PLAIN = "plain"
PLAIN_BOTH = "plain_both"  # a word given in both languages (``en``, ``zh``)
REJECT = "reject"


def _written(value: Any, lang: str) -> Any:
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, list) and all(isinstance(v, Text) for v in value):
        return "".join(v.render(lang) for v in value)
    return value


def joined(texts: list[Text], separator: str = "or") -> list[Text]:
    """``texts`` with ``separator`` (a code: ``or``, ``and``) between them, as one
    parameter (a list of Texts is written as their concatenation)."""
    out: list[Text] = []
    for i, text in enumerate(texts):
        if i:
            out.append(Text(separator))
        out.append(text)
    return out


# The needs of a kind (``ingest.schema.REQUIRED``), in Chinese.
NEEDS_ZH = {
    "the person": "人员",
    "the organization": "单位",
    "the date": "日期",
    "the hours": "时长",
    "the activity type": "活动类型",
    "the participants": "参与人数",
    "the person number": "人员编号",
    "the organization code": "单位编码",
    "the district code": "区域编码",
    "the type code": "类型编码",
    "the category": "类别",
}


def no_column(
    kind: str, need: str, options: tuple[tuple[str, ...], ...], aliases: dict[str, str]
) -> Text:
    """A file lacks a column every row of its ``kind`` needs: ``need`` (``the person``),
    met by any of ``options`` (each a set of columns; ``aliases``: a column's Chinese
    header)."""
    alternatives = [
        joined([Text("column_option", column=c, alias=aliases[c]) for c in option], "and")
        for option in options
    ]
    listed: list[Text] = []
    for i, alternative in enumerate(alternatives):
        if i:
            listed.append(Text("or" if i == len(alternatives) - 1 else "list_comma"))
        listed.extend(alternative)
    headcount = kind == "activity" and need == "the person"
    return Text(
        "no_column",
        need=Text(PLAIN_BOTH, en=need, zh=NEEDS_ZH.get(need, need)),
        kind=Text(f"kind_{kind}"),
        options=listed,
        column=options[0][0],
        headcounts=[Text("headcount_hint")] if headcount else [],
    )


def render(text: Text | str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A message in ``lang``; a plain string (written in English alone) as it is."""
    return text.render(lang) if isinstance(text, Text) else text
