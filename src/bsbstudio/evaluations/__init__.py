"""Evaluations: the plan (step 1 of the BSB circle): mandate, rounds, sites, goals, problem statements."""
