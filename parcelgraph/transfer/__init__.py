"""Moving order histories in and out: files in the upsert shape, through the bulk use case."""
