"""Recognisers: one per file on a common base, registered in ``registry``."""
