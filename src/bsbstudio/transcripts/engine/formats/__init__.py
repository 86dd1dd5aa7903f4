"""One module per file format; each has ``read(data, filename, *, require_speakers)``.

The formats are registered once, by extension, in ``bsbstudio.transcripts.engine.reader``.
"""
