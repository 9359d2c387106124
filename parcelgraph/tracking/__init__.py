"""Carrier ingestion: adapters that fetch carrier statuses, the normalizer, and the poller."""
