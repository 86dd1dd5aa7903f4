"""Theme guide (temaguide, step 2): themes, informant groups and the questions in each cell."""
