"""Exchange: REFI-QDA import and export, backups (platform)."""
