"""The closed set of term operators, named after SMT-LIB.

Every pass (evaluator, printer, bit-blaster, solver converters) dispatches on `Op`; a pass that
meets an operator it does not handle raises `UnsupportedOperator`. Some SMT-LIB operators are not
here because the smart constructors rewrite them into these (bvugt, bvsge, =>, distinct, bvnand,
repeat, ...), which keeps every pass small.
"""

from __future__ import annotations

from enum import Enum


class Op(Enum):
    # leaves
    VAR = "var"
    CONST = "const"
    # Boolean
    NOT = "not"
    AND = "and"
    OR = "or"
    XOR = "xor"
    ITE = "ite"
    EQ = "="
    # bit-vectors
    BVNOT = "bvnot"
    BVNEG = "bvneg"
    BVAND = "bvand"
    BVOR = "bvor"
    BVXOR = "bvxor"
    BVADD = "bvadd"
    BVSUB = "bvsub"
    BVMUL = "bvmul"
    BVUDIV = "bvudiv"
    BVUREM = "bvurem"
    BVSDIV = "bvsdiv"
    BVSREM = "bvsrem"
    BVSMOD = "bvsmod"
    BVSHL = "bvshl"
    BVLSHR = "bvlshr"
    BVASHR = "bvashr"
    CONCAT = "concat"
    EXTRACT = "extract"            # payload (hi, lo)
    ZERO_EXTEND = "zero_extend"    # payload k
    SIGN_EXTEND = "sign_extend"    # payload k
    ROTATE_LEFT = "rotate_left"    # payload k
    ROTATE_RIGHT = "rotate_right"  # payload k
    BVULT = "bvult"
    BVULE = "bvule"
    BVSLT = "bvslt"
    BVSLE = "bvsle"
    BV2NAT = "bv2nat"
    INT2BV = "int2bv"              # payload width
    # integers
    ADD = "+"
    SUB = "-"
    MUL = "*"
    NEG = "neg"                    # printed as unary "-"
    IDIV = "div"
    MOD = "mod"
    ABS = "abs"
    LE = "<="
    LT = "<"
    # strings and regular languages
    STR_CONCAT = "str.++"
    STR_LEN = "str.len"
    STR_PREFIXOF = "str.prefixof"
    STR_SUFFIXOF = "str.suffixof"
    STR_CONTAINS = "str.contains"
    STR_LT = "str.<"
    STR_LE = "str.<="
    STR_IN_RE = "str.in_re"
    STR_TO_RE = "str.to_re"
    RE_CONCAT = "re.++"
    RE_UNION = "re.union"
    RE_STAR = "re.*"
    RE_ALLCHAR = "re.allchar"
    RE_ALL = "re.all"
    RE_NONE = "re.none"
    # arrays
    SELECT = "select"
    STORE = "store"
    CONST_ARRAY = "as const"       # ((as const (Array I E)) v); a value distinct from CONST
    #                                (an equal value would make it an alias of Op.CONST)
    # finite sets (cvc5 names)
    SET_EMPTY = "set.empty"
    SET_INSERT = "set.insert"      # (set.insert e s)
    SET_UNION = "set.union"
    SET_INTER = "set.inter"
    SET_MINUS = "set.minus"
    SET_MEMBER = "set.member"
    SET_SUBSET = "set.subset"
    # uninterpreted functions and datatypes
    APPLY = "apply"                # payload FunctionSymbol
    DT_CONS = "dt.cons"            # payload constructor name
    DT_SELECT = "dt.select"        # payload field name
    DT_TEST = "dt.test"            # payload constructor name

    def __repr__(self) -> str:
        return f"Op.{self.name}"


#: Operators whose payload is a tuple of integer indices, printed as `(_ name i ...)`.
INDEXED = frozenset({Op.EXTRACT, Op.ZERO_EXTEND, Op.SIGN_EXTEND, Op.ROTATE_LEFT,
                     Op.ROTATE_RIGHT, Op.INT2BV})

#: Operators whose argument order does not matter (used for AC ordering).
COMMUTATIVE = frozenset({Op.AND, Op.OR, Op.XOR, Op.EQ, Op.BVAND, Op.BVOR, Op.BVXOR,
                         Op.BVADD, Op.BVMUL, Op.ADD, Op.MUL, Op.SET_UNION, Op.SET_INTER})

#: Operators that may take more than two arguments.
NARY = frozenset({Op.AND, Op.OR, Op.BVAND, Op.BVOR, Op.BVXOR, Op.BVADD, Op.BVMUL, Op.CONCAT,
                  Op.ADD, Op.MUL, Op.STR_CONCAT, Op.RE_CONCAT, Op.RE_UNION})

BV_OPS = frozenset({
    Op.BVNOT, Op.BVNEG, Op.BVAND, Op.BVOR, Op.BVXOR, Op.BVADD, Op.BVSUB, Op.BVMUL, Op.BVUDIV,
    Op.BVUREM, Op.BVSDIV, Op.BVSREM, Op.BVSMOD, Op.BVSHL, Op.BVLSHR, Op.BVASHR, Op.CONCAT,
    Op.EXTRACT, Op.ZERO_EXTEND, Op.SIGN_EXTEND, Op.ROTATE_LEFT, Op.ROTATE_RIGHT, Op.BVULT,
    Op.BVULE, Op.BVSLT, Op.BVSLE})
