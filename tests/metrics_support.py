"""Reading /metrics in tests: every sample by name and labels."""

from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(http: httpx.AsyncClient, **headers: str) -> Samples:
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: Any) -> float:
    """A sample's value; 0 when the series does not exist (yet)."""
    return samples.get((name, frozenset((k, str(v)) for k, v in labels.items())), 0.0)
