"""Audio recordings of interviews: upload, playback for transcribers, and deletion on schedule."""
