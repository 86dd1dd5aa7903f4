"""Conference engine: the minutes (referat) as a document model, and a PDF renderer; no Django."""
