"""Use cases: keyword-only async functions over a session. No strawberry here."""
