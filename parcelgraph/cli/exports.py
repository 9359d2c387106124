"""`export-schema` and `export-openapi`: the API contracts as files."""

from pathlib import Path
from typing import Annotated

import typer

from parcelgraph.cli.common import console


def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = Path("schema.graphql"),
) -> None:
    """Write the GraphQL schema (SDL) to a file."""
    from parcelgraph.schema.root import schema

    output.write_text(schema.as_str() + "\n")
    console.print(f"wrote {output}")


def export_openapi(
    output: Annotated[Path, typer.Option(help="Where to write the document.")] = Path(
        "openapi.json"
    ),
) -> None:
    """Write the REST v1 OpenAPI document to a file."""
    from parcelgraph.rest import openapi_text

    output.write_text(openapi_text())
    console.print(f"wrote {output}")
