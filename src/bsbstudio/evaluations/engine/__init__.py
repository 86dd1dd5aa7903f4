"""Plain-Python logic of the plan step (no Django imports)."""
