"""SMT-LIB 2.6: reading scripts into Assay terms and printing terms and queries as scripts.

>>> s = parse_script("(declare-const x (_ BitVec 8)) (assert (bvugt x #x10)) (check-sat)")
>>> s.assertions
[(bvult #x10 x)]
>>> parse_term(to_smtlib(s.assertions[0]), s.declarations) is s.assertions[0]
True
"""

from assay.core.printer import to_smtlib
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
    infer_logic,
    parse_script,
    parse_term,
    print_script,
    query_smtlib,
)

__all__ = [
    "Assert", "CheckSat", "Command", "DeclareFun", "DeclareSort", "DefineFun", "Echo", "Exit",
    "GetInfo", "GetModel", "GetValue", "Interpreter", "SetInfo", "SetLogic", "SetOption",
    "iter_commands", "Environment", "Macro", "Script", "free_symbols", "infer_logic",
    "parse_script", "parse_term", "print_script", "query_smtlib", "to_smtlib",
]
