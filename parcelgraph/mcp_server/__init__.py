"""The MCP face: tools, resources and prompts for AI agents over the same use cases.

Mounted per shop at `/v1/shops/{slug}/mcp` (streamable HTTP) and runnable over stdio
(`parcelgraph mcp --shop SLUG`). Writes call the use cases of `resolvers` with inputs built
from pydantic tool-argument models; reads and `graphql_query` run read-only GraphQL
documents through the executor the app hands in (this package never imports the GraphQL
face), so roles, costs, rate limits and error codes are those of GraphQL.
"""
