"""The expected status tables, one module per carrier: (code, catalogue event, phase) rows,
and the documented codes deliberately left UNMAPPED. Read them as the mapping's spec."""
