"""Locale formats for the site's language (en-IN), found through FORMAT_MODULE_PATH. Django ships no
en_IN formats, so without these pages and the admin fall back to US English ("Nov. 25, 2026, 6:23 a.m.")."""
