"""Property-based fuzz tests of every importer and form (hypothesis; ``make fuzz`` runs them long)."""
