"""Build the DuckDB SQL that parses one extract file: every line read as text, classified
as report noise or data, split into fields and converted by SAP type, with a reason for
every row that cannot be loaded. One query, no Python loop over rows.
"""

from __future__ import annotations

from ingestion.intake import Readable
from ingestion.sniff import DELIMITERS, Header
from ingestion.specs import CURRENCY_DECIMALS, PLAUSIBLE_YEARS, Column, ExtractSpec

# A number as written in a decimal-comma file (1.234.567,89-) and in a decimal-point file
# (1,234,567.89-), once spaces and apostrophes (thousands separators too) are removed.
# Thousands groups have exactly three digits. Exponents and underscores are no format an
# extract uses: `1e3` and `1_000` are not numbers.
NUMBER_PATTERN = {
    True: r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d*)?-?|-?,\d+-?",
    False: r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?-?|-?\.\d+-?",
}
DELIMITER_NAMES = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "pipe"}


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text(col: Column) -> str:
    """The trimmed raw text of a field, NULL when empty."""
    return f"t_{col.sql_name}"


def _compact(raw: str) -> str:
    """A number's text without spaces and apostrophes (thousands separators)."""
    return f"replace(replace({raw}, ' ', ''), '''', '')"


def _number_text(raw: str, decimal_comma: bool) -> str:
    """Normalise `1.234,56-` (or `1,234.56-`) to `-1234.56`; NULL when the text is not a
    number written in the file's format."""
    compact = _compact(raw)
    if decimal_comma:
        plain = f"replace(replace({compact}, '.', ''), ',', '.')"
    else:
        plain = f"replace({compact}, ',', '')"
    signed = f"(case when suffix({plain}, '-') then '-' || rtrim({plain}, '-') else {plain} end)"
    pattern = sql_literal(NUMBER_PATTERN[decimal_comma])
    return f"(case when regexp_full_match({compact}, {pattern}) then {signed} end)"


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


def _error_expr(col: Column, decimal_comma: bool, decides_period: bool) -> str:
    """A reason naming the field, or NULL when the field is fine."""
    raw, typed = _text(col), col.sql_name
    name = col.name
    checks = []
    if col.required:
        checks.append(f"when {raw} is null then '{name}: required field is empty'")
        if col.sap_type == "DATS":
            checks.append(
                f"when {raw} = '00000000' then '{name}: required date is 00000000 (no date)'"
            )
    if col.sap_type == "DATS":
        checks.append(
            f"when {raw} is not null and {raw} <> '00000000' and {typed} is null"
            f" then '{name}: invalid date ''' || {raw} || ''''"
        )
        if decides_period:
            first, last = PLAUSIBLE_YEARS
            checks.append(
                f"when year({typed}) not between {first} and {last}"
                f" then '{name}: date ''' || {raw} || ''' outside the years {first}-{last}'"
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
        other = sql_literal(NUMBER_PATTERN[not decimal_comma])
        written = "a comma" if decimal_comma else "a point"
        checks.append(
            f"when {raw} is not null and {typed} is null"
            f" and regexp_full_match({_compact(raw)}, {other})"
            f" then '{name}: ambiguous number ''' || {raw} || ''' (this file writes"
            f" decimals with {written})'"
        )
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
    first, last = PLAUSIBLE_YEARS
    if spec.period_column:
        # A date in an implausible year is quarantined (_reasons) and decides no month:
        # one mistyped year must not pull its file into a month decades away.
        column = spec.column(spec.period_column).sql_name
        return (
            f"(case when year({column}) between {first} and {last}"
            f" then date_trunc('month', {column})::date end)"
        )
    if spec.period_year_month:
        year, month = (c.lower() for c in spec.period_year_month)
        # Special periods 13-16 (year-end closing) belong to the last month.
        return (
            f"(case when {year} between {first} and {last} and {month} between 1 and 16"
            f" then make_date({year}, least({month}, 12)::bigint, 1) end)"
        )
    return "null::date"


def _period_errors(spec: ExtractSpec) -> list[str]:
    """Reasons for a fiscal year and posting period that name no month."""
    if not spec.period_year_month:
        return []
    year, month = spec.period_year_month
    first, last = PLAUSIBLE_YEARS
    return [
        f"(case when {year.lower()} not between {first} and {last} then '{year}: fiscal year "
        f"''' || t_{year.lower()} || ''' outside {first}-{last}' end)",
        f"(case when {month.lower()} not between 1 and 16 then '{month}: posting period "
        f"''' || t_{month.lower()} || ''' outside 1-16' end)",
    ]


def stage_lines(con, source: Readable, table: str) -> None:
    """Every physical line of the file, numbered, into a temp table (_line_no, _raw_line);
    the lines intake found unreadable into `<table>_errors` (_line_no, reason).

    Each line is read as one text column: a control character that never occurs in
    extracts is the "delimiter" and quoting is off, so no line is split or dropped. The
    numbering (row_number over the scan order) runs on one thread; it is kept apart from
    the parsing so that parse_query's heavy projections run on every core."""
    reader = (
        f"read_csv({sql_literal(str(source.path))}, columns = {{'line': 'VARCHAR'}},"
        f" delim = '\x01', quote = '', escape = '', header = false, auto_detect = false,"
        f" strict_mode = false, max_line_size = 10000000,"
        f" encoding = {sql_literal(source.encoding)})"
    )
    con.execute(
        f"create or replace temp table {table} as"
        f" select row_number() over () as _line_no, line as _raw_line from {reader}"
    )
    if source.line_errors:
        con.execute(f"create or replace temp table {table}_errors (_line_no bigint, reason text)")
        con.executemany(
            f"insert into {table}_errors values (?, ?)", list(source.line_errors.items())
        )


def parse_query(
    lines_table: str, header: Header, spec: ExtractSpec, line_errors: bool = False
) -> str:
    """SELECT producing one row per physical line of `lines_table` (from stage_lines) with
    typed fields, noise and reason. `line_errors`: the lines in `<lines_table>_errors` are
    quarantined with the reason given there (bytes intake could not decode)."""
    delim = header.delimiter
    expected = header.field_count
    line = "_raw_line"
    d = {"|": "\\|", "\t": "\\t"}.get(delim, delim)  # the delimiter inside a regex
    # SAP list output frames every line in pipes: |a|b|c|
    split_source = f"regexp_replace({line}, '^\\|+|\\|+$', '', 'g')" if delim == "|" else line
    # Spaces, CR (and tabs, unless they delimit) around a field are not part of it.
    pad = "[ \\r]" if delim == "\t" else "[ \\t\\r]"
    if header.quoted:
        # RFC 4180: a field is a quoted string (quotes doubled inside, the delimiter kept)
        # or text up to the delimiter, in which a quote is an ordinary character.
        pattern = f'("(?:[^"]|"")*"|[^{d}]*){d}'
        splitter = (
            f"regexp_extract_all({split_source} || {sql_literal(delim)}, {sql_literal(pattern)}, 1)"
        )
        spaces = "' ' || chr(13)" + (" || chr(9)" if delim != "\t" else "")
        quoted_field = sql_literal('[ \\t]*"((?:[^"]|"")*)"[ \\t\\r]*')
        field_text = (
            "nullif(case when regexp_full_match(_f[{pos}], " + quoted_field + ")"
            " then trim(replace(regexp_extract(_f[{pos}], " + quoted_field + ", 1),"
            " '\"\"', '\"'), ' ') else trim(_f[{pos}], " + spaces + ") end, '')"
        )
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
    errors = ", ".join(
        [
            *(
                _error_expr(col, header.decimal_comma, col.name == spec.period_column)
                for col in spec.columns
            ),
            *_period_errors(spec),
        ]
    )
    keep = ", ".join(col.sql_name for col in spec.columns)
    # A line without the header's delimiter that another delimiter splits into as many
    # fields as the header has is data delimited otherwise, not report text.
    others = [o for o in DELIMITERS if o != delim] if expected >= 3 else []
    foreign = (
        " or ".join(f"len(string_split({line}, {sql_literal(o)})) >= {expected}" for o in others)
        or "false"
    )
    if line_errors:
        lines_cte = (
            f"select l._line_no, l.{line}, e.reason as _line_error"
            f" from {lines_table} l left join {lines_table}_errors e using (_line_no)"
        )
    else:
        lines_cte = f"select _line_no, {line}, null::varchar as _line_error from {lines_table}"
    # Written without trim() of the whole line, which costs more than the rest of the
    # classification (DuckDB's trim() strips Unicode spaces: \p{Zs}).
    header_text = sql_literal(header.text.strip())
    subtotal = ("^\\|*" if delim == "|" else "^") + '\\p{Zs}*"?\\*'
    noise = f"""
        case
            when _line_no < {header.line_no} then 'banner before header'
            when _line_no = {header.line_no} then 'header'
            when _line_error is not null then null
            when {line} is null or regexp_full_match({line}, '[ \\t\\r]*') then 'blank line'
            when contains({line}, chr(12)) then 'page break'
            when regexp_full_match({line}, '\\p{{Zs}}*[-=_|+ ]+\\p{{Zs}}*') then 'rule line'
            when contains({line}, {header_text}) and trim({line}) = {header_text}
                then 'repeated header'
            when not contains({line}, {sql_literal(delim)}) and not ({foreign})
                then 'report text'
            when regexp_matches({line}, '{subtotal}') then 'subtotal line'
        end"""
    delimiter_name = DELIMITER_NAMES.get(delim, delim)
    return f"""
with lines as (
    {lines_cte}
),
classified as (
    select _line_no, {line}, _line_error, {noise} as _noise from lines
),
split as (
    select *, {splitter} as _f
    from classified
),
fields as (
    select
        _line_no, {line}, _noise, _line_error, len(_f) as _n_fields,
        len(list_filter(_f[{expected + 1}:], lambda x: trim(x, ' ' || chr(13)) <> '')) as _n_extra,
        {", ".join(field_cols)}
    from split
),
typed as (
    select *, {", ".join(typed_cols)} from fields
),
checked as (
    select *,
        _noise is null and _line_error is null and _n_fields = 1 and ({foreign})
            as _foreign_delimiter
    from typed
),
reasoned as (
    select *,
        case
            when _noise is not null then null
            when _line_error is not null then _line_error
            when contains({line}, chr(0))
                then 'NUL byte (0x00) at column ' || strpos({line}, chr(0))
            when _foreign_delimiter
                then 'fields delimited otherwise than the header ({delimiter_name})'
            when _n_fields < {expected}
                then 'short line: ' || _n_fields || ' fields, the header has {expected}'
            when _n_extra > 0
                then 'too many fields: ' || _n_fields || ', the header has {expected}'
            else nullif(concat_ws('; ', {errors}), '')
        end as _reason
    from checked
)
select _line_no,
    -- Only a quarantined line keeps its text (raw._quarantine shows it); dropping the rest
    -- here halves what the parsed table holds.
    case when _noise is null and _reason is not null then {line} end as {line},
    _noise, _reason, _foreign_delimiter, {keep},
    {_period_expr(spec)} as _period
from reasoned
"""
