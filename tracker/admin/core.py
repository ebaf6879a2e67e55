"""Admin for the tracker's domain records."""
