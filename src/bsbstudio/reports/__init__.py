"""Reports: process, partial and final reports (steps 6 and 8 of the BSB circle)."""
