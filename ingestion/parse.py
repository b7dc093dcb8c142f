"""Build the DuckDB SQL that parses one extract file: every line read as text, classified
as report noise or data, split into fields and converted by SAP type, with a reason for
every row that cannot be loaded. One query, no Python loop over rows.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.sniff import FileFacts, Header
from ingestion.specs import CURRENCY_DECIMALS, Column, ExtractSpec


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text(col: Column) -> str:
    """The trimmed raw text of a field, NULL when empty."""
    return f"t_{col.sql_name}"


def _number_text(raw: str, decimal_comma: bool) -> str:
    """Normalise `1.234,56-` (or `1,234.56-`) to `-1234.56`."""
    if decimal_comma:
        plain = f"replace(replace(replace(replace({raw}, ' ', ''), '''', ''), '.', ''), ',', '.')"
    else:
        plain = f"replace(replace(replace({raw}, ' ', ''), '''', ''), ',', '')"
    return f"(case when suffix({plain}, '-') then '-' || rtrim({plain}, '-') else {plain} end)"


def _date_expr(raw: str) -> str:
    return (
        f"(case when {raw} is null or {raw} = '00000000' then null"
        f" when regexp_full_match({raw}, '[0-9]{{8}}') then try_strptime({raw}, '%Y%m%d')"
        f" when regexp_full_match({raw}, '[0-9]{{1,2}}\\.[0-9]{{1,2}}\\.[0-9]{{4}}')"
        f" then try_strptime({raw}, '%d.%m.%Y')"
        f" when regexp_full_match({raw}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')"
        f" then try_strptime({raw}, '%Y-%m-%d')"
        f" end)::date"
    )


def _currency_factor(currency_col: str) -> str:
    """SAP keeps two decimals for every currency; shift those with other decimals."""
    cases = " ".join(
        f"when {sql_literal(cur)} then {10 ** (2 - dec)}"
        for cur, dec in sorted(CURRENCY_DECIMALS.items())
        if dec != 2
    )
    return f"(case upper({currency_col}) {cases} else 1 end)"


def typed_expr(col: Column, spec: ExtractSpec, decimal_comma: bool) -> str:
    raw = _text(col)
    t = col.sap_type
    if t == "CHAR":
        if col.alpha:
            return (
                f"(case when regexp_full_match({raw}, '[0-9]+')"
                f" then coalesce(nullif(ltrim({raw}, '0'), ''), '0') else upper({raw}) end)"
            )
        return raw
    if t == "CUKY":
        return f"upper({raw})"
    if t == "NUMC":
        return f"(case when regexp_full_match({raw}, '[0-9]+') then try_cast({raw} as bigint) end)"
    if t == "DATS":
        return _date_expr(raw)
    if t == "INVDATS":
        inverted = f"(99999999 - try_cast({raw} as bigint))::varchar"
        return f"try_strptime({inverted}, '%Y%m%d')::date"
    # CURR, QUAN, DEC
    number = f"try_cast({_number_text(raw, decimal_comma)} as decimal(18, {col.scale}))"
    if t == "CURR" and col.currency:
        currency = spec.column(col.currency)
        shifted = f"{number} * {_currency_factor(_text(currency))}"
        return f"cast({shifted} as decimal(18, {col.scale}))"
    return number


def sql_type(col: Column) -> str:
    return {
        "CHAR": "varchar",
        "CUKY": "varchar",
        "NUMC": "bigint",
        "DATS": "date",
        "INVDATS": "date",
    }.get(col.sap_type, f"decimal(18, {col.scale})")


def _error_expr(col: Column) -> str:
    """A reason naming the field, or NULL when the field is fine."""
    raw, typed = _text(col), col.sql_name
    name = col.name
    checks = []
    if col.required:
        checks.append(f"when {raw} is null then '{name}: required field is empty'")
    if col.sap_type == "DATS":
        checks.append(
            f"when {raw} is not null and {raw} <> '00000000' and {typed} is null"
            f" then '{name}: invalid date ''' || {raw} || ''''"
        )
    elif col.sap_type == "INVDATS":
        checks.append(
            f"when {raw} is not null and {typed} is null"
            f" then '{name}: invalid inverted date ''' || {raw} || ''''"
        )
    elif col.sap_type == "NUMC":
        checks.append(
            f"when {raw} is not null and {typed} is null"
            f" then '{name}: not a number (NUMC) ''' || {raw} || ''''"
        )
    elif col.sap_type in {"CURR", "QUAN", "DEC"}:
        checks.append(
            f"when {raw} is not null and {typed} is null"
            f" then '{name}: not a number ''' || {raw} || ''''"
        )
    if col.allowed:
        allowed = ", ".join(sql_literal(v) for v in col.allowed)
        checks.append(
            f"when {typed} is not null and upper({typed}) not in ({allowed})"
            f" then '{name}: unknown value ''' || {typed} || ''' (allowed: "
            + ", ".join(col.allowed)
            + ")'"
        )
    if col.positive:
        checks.append(
            f"when {typed} is not null and {typed} <= 0 then '{name}: must be greater than 0'"
        )
    if not checks:
        return "null"
    return "(case " + " ".join(checks) + " end)"


def _period_expr(spec: ExtractSpec) -> str:
    if spec.period_column:
        return f"date_trunc('month', {spec.column(spec.period_column).sql_name})::date"
    if spec.period_year_month:
        year, month = spec.period_year_month
        # Special periods 13-16 (year-end closing) belong to the last month.
        return f"make_date({year.lower()}, least({month.lower()}, 12)::bigint, 1)"
    return "null::date"


def _sign_expr(spec: ExtractSpec) -> str:
    if not spec.sign_from:
        return "null::integer"
    column, signs = spec.sign_from
    cases = " ".join(f"when {sql_literal(k)} then {v}" for k, v in sorted(signs.items()))
    return f"(case upper({column.lower()}) {cases} end)::integer"


def stage_lines(con, path: Path, facts: FileFacts, table: str) -> None:
    """Every physical line of the file, numbered, into a temp table (_line_no, _raw_line).

    Each line is read as one text column: a control character that never occurs in
    extracts is the "delimiter" and quoting is off, so no line is split or dropped. The
    numbering (row_number over the scan order) runs on one thread; it is kept apart from
    the parsing so that parse_query's heavy projections run on every core."""
    reader = (
        f"read_csv({sql_literal(str(path))}, columns = {{'line': 'VARCHAR'}},"
        f" delim = '\x01', quote = '', escape = '', header = false, auto_detect = false,"
        f" strict_mode = false, max_line_size = 10000000,"
        f" encoding = {sql_literal(facts.encoding)})"
    )
    con.execute(
        f"create or replace temp table {table} as"
        f" select row_number() over () as _line_no, line as _raw_line from {reader}"
    )


def parse_query(lines_table: str, header: Header, spec: ExtractSpec) -> str:
    """SELECT producing one row per physical line of `lines_table` (from stage_lines) with
    typed fields, noise and reason."""
    delim = header.delimiter
    expected = header.field_count
    line = "_raw_line"
    d = {"|": "\\|", "\t": "\\t"}.get(delim, delim)  # the delimiter inside a regex
    # SAP list output frames every line in pipes: |a|b|c|
    split_source = f"regexp_replace({line}, '^\\|+|\\|+$', '', 'g')" if delim == "|" else line
    # Spaces, quotes, CR (and tabs, unless they delimit) around a field are not part of it.
    pad = '[ "\\r]' if delim == "\t" else '[ "\\t\\r]'
    if header.quoted:
        # A field is a quoted string (quotes doubled inside) or text up to the delimiter.
        pattern = f'("(?:[^"]|"")*"|[^{d}"]*){d}'
        splitter = (
            f"regexp_extract_all({split_source} || {sql_literal(delim)}, {sql_literal(pattern)}, 1)"
        )
        trim_chars = "' \"' || chr(13)" + (" || chr(9)" if delim != "\t" else "")
        field_text = "nullif(trim(_f[{pos}], " + trim_chars + "), '')"
    else:
        # Trimming the padding once per line, and only on the lines that have any, costs a
        # fraction of trimming every field (trim with a character set is slow in DuckDB).
        padded = f"(^|{d}){pad}|{pad}({d}|$)"
        unpadded = (
            f"regexp_replace(regexp_replace({split_source}, '(^|{d}){pad}+', '\\1', 'g'),"
            f" '{pad}+({d}|$)', '\\1', 'g')"
        )
        splitter = (
            f"string_split(case when regexp_matches({split_source}, {sql_literal(padded)})"
            f" then {unpadded} else {split_source} end, {sql_literal(delim)})"
        )
        field_text = "nullif(_f[{pos}], '')"
    field_cols = []
    for col in spec.columns:
        pos = header.positions.get(col.name)
        if pos is None:
            field_cols.append(f"null::varchar as {_text(col)}")
        else:
            field_cols.append(f"{field_text.format(pos=pos)} as {_text(col)}")
    typed_cols = [
        f"{typed_expr(col, spec, header.decimal_comma)} as {col.sql_name}" for col in spec.columns
    ]
    errors = ", ".join(_error_expr(col) for col in spec.columns)
    keep = ", ".join(col.sql_name for col in spec.columns)
    # Written without trim() of the whole line, which costs more than the rest of the
    # classification (DuckDB's trim() strips Unicode spaces: \p{Zs}).
    header_text = sql_literal(header.text.strip())
    subtotal = ("^\\|*" if delim == "|" else "^") + '\\p{Zs}*"?\\*'
    noise = f"""
        case
            when _line_no < {header.line_no} then 'banner before header'
            when _line_no = {header.line_no} then 'header'
            when {line} is null or regexp_full_match({line}, '[ \\t\\r]*') then 'blank line'
            when contains({line}, chr(12)) then 'page break'
            when regexp_full_match({line}, '\\p{{Zs}}*[-=_|+ ]+\\p{{Zs}}*') then 'rule line'
            when contains({line}, {header_text}) and trim({line}) = {header_text}
                then 'repeated header'
            when not contains({line}, {sql_literal(delim)}) then 'report text'
            when regexp_matches({line}, '{subtotal}') then 'subtotal line'
        end"""
    return f"""
with lines as (
    select _line_no, {line} from {lines_table}
),
classified as (
    select _line_no, {line}, {noise} as _noise from lines
),
split as (
    select *, {splitter} as _f
    from classified
),
fields as (
    select
        _line_no, {line}, _noise, len(_f) as _n_fields,
        len(list_filter(_f[{expected + 1}:], lambda x: trim(x, ' ' || chr(13)) <> '')) as _n_extra,
        {", ".join(field_cols)}
    from split
),
typed as (
    select *, {", ".join(typed_cols)} from fields
),
checked as (
    select *,
        case
            when _noise is not null then null
            when _n_fields < {expected}
                then 'short line: ' || _n_fields || ' fields, the header has {expected}'
            when _n_extra > 0
                then 'too many fields: ' || _n_fields || ', the header has {expected}'
            else nullif(concat_ws('; ', {errors}), '')
        end as _reason
    from typed
)
select _line_no,
    -- Only a quarantined line keeps its text (raw._quarantine shows it); dropping the rest
    -- here halves what the parsed table holds.
    case when _noise is null and _reason is not null then {line} end as {line},
    _noise, _reason, {keep},
    {_sign_expr(spec)} as _sign,
    {_period_expr(spec)} as _period
from checked
"""
