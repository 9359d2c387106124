"""What each carrier's documentation says, read once at import from `carriers.toml`.

The status codes, their meanings, the codes left unmapped, the base URL, the credential
fields, the batch size and the documented rate are facts copied from each carrier's
documentation, not behaviour: they live as data in `carriers.toml` (one section per
adapter, explained at the top of that file), and the adapter modules keep only how to
ask the carrier and how to read its answer. A section that misses a field, names an
unknown one or maps a code twice fails here, at import, not at the first poll.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parcelgraph.tracking.carriers.http import HttpPolicy
from parcelgraph.tracking.carriers.oauth import ClientAuth
from parcelgraph.tracking.carriers.table import Code, StatusTable

SOURCE = Path(__file__).parent / "carriers.toml"


@dataclass(frozen=True)
class CarrierFacts:
    """One carrier API as its documentation describes it (see `carriers.toml`)."""

    name: str
    description: str
    base_url: str
    carriers: tuple[str, ...]
    required: tuple[str, ...]
    status_map: StatusTable
    batch_size: int = 1
    policy: HttpPolicy = field(default_factory=HttpPolicy)
    # OAuth 2 carriers name their token endpoint and how they take the client id and secret.
    oauth_path: str | None = None
    oauth_client_auth: ClientAuth = "basic"


def _table(name: str, section: dict[str, Any]) -> StatusTable:
    """The status table of a section, taking its keys out of the section."""
    # `codes`: one meaning per code; `groups`: one meaning for many codes (Royal Mail).
    codes: dict[str, list[str]] = section.pop("codes", {})
    rows = [Code(code, event, meaning) for code, (event, meaning) in codes.items()]
    for group in section.pop("groups", []):
        rows += [Code(code, group["event"], group["meaning"]) for code in group["codes"]]
    return StatusTable(name, rows, unmapped=section.pop("unmapped", []))


def _facts(name: str, section: dict[str, Any]) -> CarrierFacts:
    return CarrierFacts(
        name=name,
        status_map=_table(name, section),
        carriers=tuple(section.pop("carriers")),
        required=tuple(section.pop("required")),
        policy=HttpPolicy(**section.pop("policy", {})),
        **section,  # the plain fields; a misspelt one is an unexpected keyword here
    )


def _load(path: Path) -> dict[str, CarrierFacts]:
    with path.open("rb") as source:
        sections = tomllib.load(source)
    return {name: _facts(name, section) for name, section in sections.items()}


CARRIERS: Mapping[str, CarrierFacts] = _load(SOURCE)
