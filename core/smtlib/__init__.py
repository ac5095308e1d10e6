"""SMT-LIB 2.6: reading scripts into Assay terms and printing terms and queries as scripts.

Queries are printed by `assay.core.query`, the one printer the kernel also uses; this package
reads scripts and prints the other commands a script can hold.

>>> s = parse_script("(declare-const x (_ BitVec 8)) (assert (bvugt x #x10)) (check-sat)")
>>> s.assertions
[(bvult #x10 x)]
>>> parse_term(to_smtlib(s.assertions[0]), s.declarations) is s.assertions[0]
True
"""

from assay.core.printer import to_smtlib
from assay.core.query import logic_of
from assay.core.smtlib.commands import (
    Assert,
    CheckSat,
    Command,
    DeclareFun,
    DeclareSort,
    DefineFun,
    Echo,
    Exit,
    GetInfo,
    GetModel,
    GetValue,
    Interpreter,
    SetInfo,
    SetLogic,
    SetOption,
    iter_commands,
)
from assay.core.smtlib.elaborate import Environment, Macro
from assay.core.smtlib.script import (
    Script,
    free_symbols,
    parse_script,
    parse_term,
    print_script,
    query_smtlib,
)

__all__ = [
    "Assert", "CheckSat", "Command", "DeclareFun", "DeclareSort", "DefineFun", "Echo", "Exit",
    "GetInfo", "GetModel", "GetValue", "Interpreter", "SetInfo", "SetLogic", "SetOption",
    "iter_commands", "Environment", "Macro", "Script", "free_symbols", "logic_of",
    "parse_script", "parse_term", "print_script", "query_smtlib", "to_smtlib",
]
