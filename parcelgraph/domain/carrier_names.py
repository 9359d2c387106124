"""Carrier detection from the company name a shop sent: exact names, aliases, partial names."""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from parcelgraph.domain.carrier_evidence import DetectionReason, ReasonCode
from parcelgraph.domain.carrier_registry import BY_CODE, CARRIERS

_EXACT_CODE_WEIGHT = 0.99
_NAME_WEIGHT = 0.85
_PARTIAL_NAME_WEIGHT = 0.6
# Short labels ("GO", "UPS" is three) would match inside unrelated words.
_MIN_PARTIAL_LABEL = 3


# --- company names ----------------------------------------------------------------------


# Carrier names and aliases are normalized on every detection; caching them (and the few
# company spellings a shop uses) keeps bulk fulfilment from re-normalizing the registry.
@lru_cache(maxsize=4096)
def _normalize_name(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.casefold()).split())


def company_reasons(company: str | None) -> Iterable[tuple[str, DetectionReason]]:
    if not company or not company.strip():
        return []
    # Names first: "GLS" is a code, but also the brand GLS Spain trades under.
    exact = list(_exact_name_matches(company, _normalize_name(company)))
    if exact:
        return exact
    raw = company.strip().lower()
    if raw in BY_CODE:
        message = f"tracking company {company!r} is the carrier code"
        return [(raw, DetectionReason(ReasonCode.EXACT_CODE, message, _EXACT_CODE_WEIGHT))]
    return list(_partial_name_matches(company, _normalize_name(company)))


def _exact_name_matches(company: str, name: str) -> Iterable[tuple[str, DetectionReason]]:
    for carrier in CARRIERS:
        if name == _normalize_name(carrier.name):
            message = f"tracking company {company!r} is the name of {carrier.name}"
            yield carrier.code, DetectionReason(ReasonCode.NAME_MATCH, message, _NAME_WEIGHT)
        elif name in {_normalize_name(alias) for alias in carrier.aliases}:
            message = f"tracking company {company!r} is a known alias of {carrier.name}"
            yield carrier.code, DetectionReason(ReasonCode.ALIAS_MATCH, message, _NAME_WEIGHT)


def _partial_name_matches(company: str, name: str) -> Iterable[tuple[str, DetectionReason]]:
    best: dict[str, str] = {}
    for carrier in CARRIERS:
        labels = [_normalize_name(label) for label in (carrier.name, *carrier.aliases)]
        found = [label for label in labels if _contains_words(name, label)]
        if found:
            best[carrier.code] = max(found, key=len)
    # "DHL" inside "DHL Express Worldwide" is not evidence for DHL Paket once DHL Express
    # matched the longer label.
    for code, label in best.items():
        if any(label != other and _contains_words(other, label) for other in best.values()):
            continue
        message = f"tracking company {company!r} contains {label!r}"
        yield code, DetectionReason(ReasonCode.PARTIAL_NAME_MATCH, message, _PARTIAL_NAME_WEIGHT)


def _contains_words(text: str, label: str) -> bool:
    return len(label) >= _MIN_PARTIAL_LABEL and f" {label} " in f" {text} "
