"""The prover core: hash-consed terms, the ground evaluator, SMT-LIB, solver backends whose
answers carry certificates, and the kernel (`assay.core.kernel`), the only code that creates
theorems."""
