"""Headers every download of a stored file carries (evidence, reports)."""


def protect_download(response):
    """The browser must save the file, never render or sniff it, and keep no copy."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
