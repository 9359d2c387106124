"""parcelgraph: a GraphQL API for the post-purchase journey of an online shop."""

__version__ = "0.1.0"
