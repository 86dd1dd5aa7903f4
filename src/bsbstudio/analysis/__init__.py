"""Analysis: codes, coded segments, memos and the matrix (step 5 of the BSB circle)."""
