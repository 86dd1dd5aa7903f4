"""Views of the theme guide, one module per page family; ``urls.py`` names them from here."""

from .bank import bank
from .goals import theme_goals
from .grid import grid, structure, structure_row
from .table_import import table_import
from .themes import theme_add, theme_delete, theme_merge, theme_move, theme_rename
from .versions import download, version, version_download, versions

__all__ = [
    "bank",
    "download",
    "grid",
    "structure",
    "structure_row",
    "table_import",
    "theme_add",
    "theme_delete",
    "theme_goals",
    "theme_merge",
    "theme_move",
    "theme_rename",
    "version",
    "version_download",
    "versions",
]
