"""De-identification (step 4): detections under review, pseudonym mappings, the engine."""
