"""Write docs/extract-formats.md from the extract specs, so the user documentation of what
the loader accepts is always the loader's own.

    python -m ingestion.format_docs > docs/extract-formats.md
"""

from __future__ import annotations

from importlib import resources

from ingestion.specs import CURRENCY_DECIMALS, SPECS


def render() -> str:
    shifted = ", ".join(f"{c} ({d} decimals)" for c, d in sorted(CURRENCY_DECIMALS.items()))
    rules = resources.files("ingestion").joinpath("format_rules.md").read_text(encoding="utf-8")
    out = [rules.replace("CURRENCY_LIST", shifted)]
    for spec in SPECS.values():
        if spec.period_column:
            period = f"month of `{spec.period_column}`"
        elif spec.period_year_month:
            period = "month of `{}` / `{}`".format(*spec.period_year_month)
        else:
            period = "none: a snapshot, replaced whole"
        out += [
            f"### `{spec.name}` ({spec.sap_origin})",
            "",
            spec.description,
            "",
            f"- file names start with: {', '.join(f'`{p}`' for p in spec.file_prefixes)}, then "
            f"anything but a letter (case-insensitive), e.g. `{spec.example_file}`",
            f"- business key: {', '.join(spec.business_key)}",
            f"- period: {period}",
            f"- raw table: `raw.{spec.name}`, staged as `staging.stg_sap__{spec.name}`",
            "",
            "| field | SAP type | required | meaning |",
            "| --- | --- | --- | --- |",
        ]
        for col in spec.columns:
            notes = []
            if col.alpha:
                notes.append("ALPHA key")
            if col.allowed:
                notes.append("one of " + ", ".join(col.allowed))
            if col.positive:
                notes.append("> 0")
            if col.currency:
                notes.append(f"currency in {col.currency}")
            extra = f" ({'; '.join(notes)})" if notes else ""
            required = "yes" if col.required else ""
            out.append(f"| {col.name} | {col.sap_type} | {required} | {col.description}{extra} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
