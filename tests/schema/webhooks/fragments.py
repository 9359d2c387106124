"""GraphQL documents shared by the webhook operation tests."""

WEBHOOK_FIELDS = """
  id url enabledEvents description status disabledReason consecutiveFailures
  previousSecretExpiresAt createdAt updatedAt
"""

CREATE = f"""
mutation($input: CreateWebhookInput!) {{
  createWebhook(input: $input) {{
    webhook {{ {WEBHOOK_FIELDS} }}
    secret
    errors {{ field message code }}
  }}
}}"""


async def create_webhook(
    caller, url: str, enabled_events=None, description=None, format="LEGACY"
) -> dict:
    """Create a webhook as `caller`; returns the payload (webhook, secret, errors).

    LEGACY by default: these tests check both signature schemes on one delivery.
    """
    variables = {
        "input": {
            "url": url,
            "enabledEvents": enabled_events,
            "description": description,
            "format": format,
        }
    }
    data = await caller.data(CREATE, variables)
    return data["createWebhook"]


DELIVERIES = """
query($id: ID!, $first: Int!, $after: String, $status: WebhookDeliveryStatus) {
  webhook(id: $id) {
    url
    deliveries(first: $first, after: $after, status: $status) {
      edges { cursor node {
        id eventId eventPosition isTest status attemptCount nextAttemptAt deliveredAt
        lastStatusCode lastError
        attempts { attemptNumber startedAt durationMs statusCode responseExcerpt error succeeded }
      } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""


def row_id(global_id: str) -> str:
    """The uuid inside a relay global id."""
    import base64

    return base64.b64decode(global_id).decode().split(":", 1)[1]
