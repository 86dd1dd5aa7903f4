"""Follow-up (oppfølging, step 9): measures and recommendations tracked."""
