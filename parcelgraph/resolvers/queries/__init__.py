"""Read use cases of the graph: filtered SELECTs for the lists, and lookups by key.

Each module builds un-executed statements (the paging module runs them one page at a time)
and owns its entity's sorts, so a list's filter, order and cursor stay in one place.
"""
