"""Readers: one per input format, streaming, vendor-agnostic."""
