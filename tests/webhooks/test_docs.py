"""docs/webhooks.md shows the retry schedule the default settings really produce."""

from pathlib import Path

from parcelgraph.config import Settings
from parcelgraph.webhooks.backoff import schedule_markdown
from parcelgraph.webhooks.worker import policy_from

DOC = Path(__file__).parents[2] / "docs" / "webhooks.md"


def test_the_documented_schedule_is_the_default_one() -> None:
    text = DOC.read_text()
    documented = text.split("<!-- retry-schedule:start -->\n")[1].split("\n<!-- retry-")[0]
    policy = policy_from(Settings(_env_file=None))  # type: ignore[call-arg]

    assert documented == schedule_markdown(policy.schedule())
    assert policy.max_retries == 15
