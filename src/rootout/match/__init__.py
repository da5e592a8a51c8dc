"""Normalise, find candidates, verify and explain."""
