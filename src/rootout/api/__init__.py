"""The rootout server: REST API over the same store and library as the CLI.

:func:`rootout.api.app.create_app` builds the FastAPI application; ``rootout
serve`` runs it with uvicorn. See docs/server.md. Nothing is imported here, so
the CLI does not pay for FastAPI unless it serves.
"""
