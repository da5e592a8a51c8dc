"""Suppliers and contractors: register, screening, store (issue 9)."""
