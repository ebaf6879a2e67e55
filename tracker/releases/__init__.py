"""Versioned public releases of the tracker's data: the resources they hold,
their Frictionless table schemas, and the changelog between two releases."""
