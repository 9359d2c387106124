"""The shops area of the GraphQL face: the Shop and Viewer types and their root fields."""
