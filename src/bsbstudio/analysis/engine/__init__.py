"""Analysis engine (step 5): plain-Python computations on coded segments, without Django."""

from bsbstudio.analysis.engine.matrix import (
    DIRECTNESS,
    POLARITIES,
    Cell,
    Matrix,
    MatrixSegment,
    build_matrix,
)

__all__ = ["DIRECTNESS", "POLARITIES", "Cell", "Matrix", "MatrixSegment", "build_matrix"]
