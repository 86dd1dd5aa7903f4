"""BSB Studio: software for Bruker Spør Bruker (user asks user) evaluations."""

__version__ = "0.1.0"
