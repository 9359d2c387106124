"""What operators use: /metrics, /livez and /readyz, the request id, JSON logs, traces."""
