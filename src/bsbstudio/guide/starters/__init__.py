"""Starters: ready-made theme guides, goals and texts an evaluation can begin from.

The YAML files here are written for this project in the method's spirit; ``loader`` reads and
checks them without Django, ``documents`` writes their texts as DOCX, and ``apply`` fills a new
evaluation from one.
"""
