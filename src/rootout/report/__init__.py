"""Reports and machine-readable outputs over the store."""
