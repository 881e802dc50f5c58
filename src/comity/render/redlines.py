"""Redline reports: which bans are shared by all, some or one jurisdiction."""

from __future__ import annotations

from rich.table import Table

from comity.analysis.redlines import Redline

SHARE_STYLES = {"all": "bold green", "some": "yellow", "one": "red", "none": "dim"}


def redlines_table(jurisdictions: list[str], lines: list[Redline]) -> Table:
    table = Table(title=f"Redlines across {', '.join(jurisdictions)}", title_justify="left",
                  show_lines=True)
    table.add_column("redline", style="bold")
    table.add_column("shared by")
    for code in jurisdictions:
        table.add_column(code, overflow="fold")
    for line in lines:
        share = line.share(jurisdictions)
        table.add_row(line.description, f"[{SHARE_STYLES[share]}]{share}[/]",
                      *("\n".join(c for _, c in line.bans.get(code, [])) or "—"
                        for code in jurisdictions))
    return table


def redlines_markdown(jurisdictions: list[str], lines: list[Redline]) -> str:
    rows = ["| redline | shared by | " + " | ".join(jurisdictions) + " |",
            "|---|---|" + "---|" * len(jurisdictions)]
    for line in lines:
        cells = ["<br>".join(c for _, c in line.bans.get(code, [])) or "—"
                 for code in jurisdictions]
        rows.append(f"| {line.description} | {line.share(jurisdictions)} | "
                    + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"
