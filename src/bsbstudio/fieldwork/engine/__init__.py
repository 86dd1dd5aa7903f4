"""Plain-Python rules of fieldwork, with no Django import.

- ``codes``: pseudonym codes per group and site (B1-01), and the check for codes that look like
  a real name.
- ``consent``: the consent checklist of the method and which items are missing.
- ``sampling``: target against achieved per sampling criterion, and findings about a skewed sample.

The app's modules (``fieldwork.consent``, ``fieldwork.sampling``, ``fieldwork.forms``) turn rows
into the plain records these functions take.
"""
