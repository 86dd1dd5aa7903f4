"""Storage backends of BSB Studio's own: a private local folder named by a setting.

``SettingFolderStorage`` is Django's ``FileSystemStorage`` whose folder is read from a setting
(``RECORDINGS_ROOT``, ``GENERATED_ROOT``) each time it is needed rather than once, so that a
test (or a command) that points the setting elsewhere moves the storage with it. Files are 0600
and folders 0700 whatever the settings for uploads say: the folder holds interview material.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class SettingFolderStorage(FileSystemStorage):
    """A private local folder (0700, files 0600) whose path is the setting named ``setting``."""

    def __init__(self, setting: str = "MEDIA_ROOT", **options):
        options.setdefault("file_permissions_mode", 0o600)
        options.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**options)
        self.setting = setting

    @property
    def base_location(self):
        """The folder, as the setting says now."""
        return self._value_or_setting(self._location, getattr(settings, self.setting))

    @property
    def location(self):
        """The folder as an absolute path, created (0700) on first use."""
        folder = os.path.abspath(self.base_location)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        return folder
