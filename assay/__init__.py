"""Assay: a verification toolkit for policy languages and machine code.

The package's front door holds only the command line (`assay.cli`). The prover core lives in
`assay.core`, tactics in `assay.automation`, and the executable models in `assay.models`.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
