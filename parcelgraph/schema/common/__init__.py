"""What every area of the GraphQL face shares.

UserError and its codes, connections, permissions, ids and root-argument checks, enums,
sorts, and Relay nodes.
"""
