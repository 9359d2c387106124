"""Pure domain rules: no I/O, no framework imports. Everything else builds on these."""
