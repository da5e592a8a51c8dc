"""The store: SQLite by default, PostgreSQL for a server; the same code for both."""
