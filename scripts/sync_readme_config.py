"""Regenerate the configuration table in README.md from the Settings class.

Run: python scripts/sync_readme_config.py   (tests/test_readme.py fails when it drifts)
"""

from pathlib import Path

from parcelgraph.config import Settings

BEGIN = "<!-- config-table:begin -->"
END = "<!-- config-table:end -->"
README = Path(__file__).resolve().parent.parent / "README.md"


def table() -> str:
    """The markdown table of every setting: env variable, default, description."""
    lines = ["| variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        shown = "—" if default in (None, [], {}) else f"`{default}`"
        lines.append(f"| `PARCELGRAPH_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(lines)


def synced(text: str) -> str:
    """README text with the table block replaced by the current table."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    README.write_text(synced(README.read_text()))
    print(f"updated {README}")
