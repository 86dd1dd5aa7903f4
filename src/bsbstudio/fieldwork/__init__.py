"""Fieldwork (step 3): informants under pseudonym codes, consent, interviews and participations."""
