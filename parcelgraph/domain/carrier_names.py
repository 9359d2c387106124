"""Carrier detection from the company name a shop sent: exact names, aliases, partial names,
legal forms ignored, and near-misses (typos) by string similarity."""

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

from parcelgraph.domain.carrier_evidence import DetectionReason, ReasonCode
from parcelgraph.domain.carrier_registry import BY_CODE, CARRIERS, Carrier

_EXACT_CODE_WEIGHT = 0.99
_NAME_WEIGHT = 0.85
_PARTIAL_NAME_WEIGHT = 0.6
# Short labels ("GO", "UPS" is three) would match inside unrelated words.
_MIN_PARTIAL_LABEL = 3
# A near-miss counts from this similarity (difflib ratio); "Hermse" vs "Hermes" is 0.83,
# while unrelated short names stay far below. Its weight scales with the similarity.
_FUZZY_MIN_RATIO = 0.8
_FUZZY_WEIGHT = 0.7
_MIN_FUZZY_LABEL = 4
# Company law suffixes say nothing about the carrier: "DHL Paket GmbH" is "DHL Paket".
_LEGAL_FORMS = frozenset(
    {"gmbh", "ag", "se", "kg", "co", "inc", "ltd", "llc", "plc", "corp", "bv", "nv", "sa",
     "sas", "spa", "srl", "sl", "ab", "as", "oy", "limited", "company"}
)  # fmt: skip


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
    name = _without_legal_form(_normalize_name(company))
    # Names first: "GLS" is a code, but also the brand GLS Spain trades under.
    exact = list(_exact_name_matches(company, name))
    if exact:
        return exact
    raw = company.strip().lower()
    if raw in BY_CODE:
        message = f"tracking company {company!r} is the carrier code"
        return [(raw, DetectionReason(ReasonCode.EXACT_CODE, message, _EXACT_CODE_WEIGHT))]
    # A near-miss of a longer label settles what a short partial match leaves open
    # ("DPD Deutchland" contains every DPD company's "DPD", but looks like DPD Deutschland).
    return [*_partial_name_matches(company, name), *_near_misses(company, name)]


def _without_legal_form(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _labels(carrier: Carrier) -> list[str]:
    return [_normalize_name(label) for label in (carrier.name, *carrier.aliases)]


def _near_misses(company: str, name: str) -> Iterable[tuple[str, DetectionReason]]:
    """Carriers whose name or alias is close to the company (a typo), by similarity."""
    for carrier in CARRIERS:
        scored = [
            (SequenceMatcher(None, name, label).ratio(), label)
            for label in _labels(carrier)
            if len(label) >= _MIN_FUZZY_LABEL
        ]
        ratio, label = max(scored, default=(0.0, ""))
        if ratio >= _FUZZY_MIN_RATIO:
            message = f"tracking company {company!r} looks like {label!r} ({ratio:.0%} similar)"
            weight = round(_FUZZY_WEIGHT * ratio, 3)
            yield carrier.code, DetectionReason(ReasonCode.FUZZY_NAME_MATCH, message, weight)


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
        found = [label for label in _labels(carrier) if _contains_words(name, label)]
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
