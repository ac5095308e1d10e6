"""Executable formal models: Cedar (`assay.models.cedar`) and AArch64 (`assay.models.armv8`)."""
