"""Background work with progress (arbeid i bakgrunnen): one model, one API, one status fragment.

See ``bsbstudio.jobs.api`` for how an app runs a long piece of work as a job.
"""
