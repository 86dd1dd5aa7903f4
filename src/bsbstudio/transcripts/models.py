"""Transcripts (step 4): the raw text as written down and the de-identified text analysis sees.

Both are immutable versions: a correction makes a new version, so coded segments never point into
text that changes (invariant 1).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bsbstudio.fieldwork.models import Interview, Participation


class Transcript(models.Model):
    """The verbatim (raw) transcript of an interview: restricted, never shown to analysis."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="transcripts")
    version = models.PositiveIntegerField(default=1)
    raw_text = models.TextField(editable=False)
    source_filename = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["interview", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "version"], name="unique_transcript_version"
            )
        ]
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self) -> str:
        return f"{self.interview.code} v{self.version}"


class DeidentifiedText(models.Model):
    """The de-identified version of a transcript: the only text analysis, reports and exports see."""

    transcript = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="deidentified_texts"
    )
    version = models.PositiveIntegerField(default=1)
    text = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Approval says the text is checked and final: it starts the recording's deletion clock.
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["transcript", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["transcript", "version"], name="unique_deid_version")
        ]
        verbose_name = _("de-identified text")
        verbose_name_plural = _("de-identified texts")

    def __str__(self) -> str:
        return f"{self.transcript} (de-identified v{self.version})"


class SpeakerTurn(models.Model):
    """One turn of speech: where it lies in the raw or in the de-identified text, and who spoke."""

    transcript = models.ForeignKey(
        Transcript, null=True, blank=True, on_delete=models.CASCADE, related_name="turns"
    )
    deidentified_text = models.ForeignKey(
        DeidentifiedText, null=True, blank=True, on_delete=models.CASCADE, related_name="turns"
    )
    order = models.PositiveIntegerField()

    class Role(models.TextChoices):
        UNDECIDED = "", _("Not decided yet")
        PARTICIPANT = "participant", _("Participant")
        INTERVIEWER = "interviewer", _("Interviewer / moderator")
        UNKNOWN = "unknown", _("Unknown")

    speaker_code = models.CharField(max_length=60, blank=True)
    # Who the speaker is: a participant (then ``participation`` says which), the interviewer, or
    # unknown; blank until someone (or the import, for codes like I: and D1:) has decided.
    role = models.CharField(max_length=12, choices=Role.choices, blank=True, default="")
    participation = models.ForeignKey(
        Participation, null=True, blank=True, on_delete=models.SET_NULL, related_name="turns"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(transcript__isnull=False)
                ^ models.Q(deidentified_text__isnull=False),
                name="turn_belongs_to_one_text",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="turn_ordered"
            ),
        ]
        verbose_name = _("speaker turn")
        verbose_name_plural = _("speaker turns")

    def __str__(self) -> str:
        return f"{self.speaker_code} [{self.start}:{self.end}]"


class TranscriptImport(models.Model):
    """A large transcript file being read in the background, and how far it has come.

    The file waits in ``settings.TRANSCRIPT_IMPORTS_ROOT`` under ``stored_name`` until its task
    (``transcripts.background.run_import``) has read it, looked for names and saved the
    transcript; then the file is removed. A refusal keeps its message (an English template and
    its parameters, translated when shown) and nothing else.
    """

    class Stage(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        READING = "reading", _("Reading the file")
        DETECTING = "detecting", _("Looking for names and other identifiers")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Done")
        FAILED = "failed", _("Not imported")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, editable=False)
    size_bytes = models.BigIntegerField()
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.QUEUED)
    error_template = models.TextField(blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    transcript = models.ForeignKey(
        Transcript, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("transcript import")
        verbose_name_plural = _("transcript imports")

    def __str__(self) -> str:
        return f"{self.interview.code}: {self.filename} ({self.stage})"

    @property
    def finished(self) -> bool:
        """Whether the task is over (done or refused)."""
        return self.stage in (self.Stage.DONE, self.Stage.FAILED)


class TranscriptDraft(models.Model):
    """A transcript being typed in the editor (utkast): free text, saved again and again.

    ``version`` counts saves: a save names the version it started from, and a save from an older
    version is refused (another transcriber saved in between), so nobody's typing is overwritten.
    ``uncertain`` holds code-point spans ``[start, end]`` of words speech-to-text was unsure of.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="drafts")
    recording = models.ForeignKey(
        "fieldwork.Recording", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    uncertain = models.JSONField(default=list, blank=True)
    # A speech-to-text result kept beside a draft the transcriber had already started.
    proposal = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_transcript = models.ForeignKey(
        Transcript, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview"], name="one_draft_per_interview")
        ]
        verbose_name = _("transcript draft")
        verbose_name_plural = _("transcript drafts")

    def __str__(self) -> str:
        return f"{self.interview.code} draft v{self.version}"


class SpeechToTextRun(models.Model):
    """Speech-to-text of one recording, run in the background, with its progress and outcome."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Stopped")

    class Language(models.TextChoices):
        BOKMAL = "nb", _("Bokmål")
        NYNORSK = "nn", _("Nynorsk")

    draft = models.ForeignKey(TranscriptDraft, on_delete=models.CASCADE, related_name="runs")
    recording = models.ForeignKey(
        "fieldwork.Recording", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.BOKMAL)
    replace = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done_seconds = models.FloatField(default=0)
    total_seconds = models.FloatField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    error_template = models.TextField(blank=True)
    error_params = models.JSONField(default=dict, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("speech-to-text run")
        verbose_name_plural = _("speech-to-text runs")

    def __str__(self) -> str:
        return f"{self.draft} speech-to-text ({self.state})"

    @property
    def finished(self) -> bool:
        """Whether the run is over, whatever the outcome."""
        return self.state in (self.State.DONE, self.State.FAILED, self.State.CANCELLED)
