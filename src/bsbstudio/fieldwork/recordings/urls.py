"""URLs of recordings, included into the fieldwork URLs (namespace ``fieldwork``)."""

urlpatterns: list = []
