"""Command-line program (presentation layer: no physics here)."""
