"""The synthetic demo evaluations (data in ``data/``, loaded by ``loader``)."""
