"""Dialogue conference (dialogkonferanse, step 7)."""
