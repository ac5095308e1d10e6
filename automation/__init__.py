"""Automation: goals, tactics and interactive sessions. Untrusted: every result goes through the
kernel (`assay.core.kernel`)."""
