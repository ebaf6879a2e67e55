"""The public, server-rendered pages: the case page and the detail pages
behind its figures."""
