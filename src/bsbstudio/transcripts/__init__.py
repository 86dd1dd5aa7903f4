"""Transcripts: raw and de-identified texts, speaker turns (step 4 of the BSB circle)."""
