"""The help page: the BSB circle drawn and explained, and the starters' texts as Word files."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from . import help as help_texts


@login_required
def help_page(request):
    """The BSB circle drawn and explained step by step, and the starters' texts to download."""
    from bsbstudio.guide.starters import loader

    return render(
        request,
        "web/help.html",
        {
            "circle": help_texts.circle(),
            "starters": list(loader.starters().values()),
            "nav_active": "help",
        },
    )


@login_required
def help_starter_docx(request, key):
    """A starter's brochure, consent, declaration and report outline as a Word document."""
    from bsbstudio.guide.starters import documents, loader

    starter = loader.starters().get(key)
    if starter is None:
        raise Http404
    response = HttpResponse(
        documents.starter_docx(starter),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{documents.file_name(starter)}"'
    return response
