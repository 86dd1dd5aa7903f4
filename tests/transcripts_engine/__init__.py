"""Tests of the transcript import engine (plain Python, no Django)."""
