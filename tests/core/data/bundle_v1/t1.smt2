(set-logic QF_BV)
(declare-const |odd name| (_ BitVec 8))
(assert (not (bvule (bvand |odd name| #x0f) #x0f)))
(check-sat)
