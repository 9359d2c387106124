"""schema.graphql (committed) is exactly the schema the code builds.

Regenerate it with `parcelgraph export-schema` after changing the schema.
"""

from pathlib import Path

from parcelgraph.schema.root import schema

SDL = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_schema_file_matches_the_code() -> None:
    assert SDL.read_text() == schema.as_str() + "\n", (
        "schema.graphql is stale: run `parcelgraph export-schema`"
    )
