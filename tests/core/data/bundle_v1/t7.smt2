(set-logic ALL)
(declare-const s String)
(assert (not (or (not (str.prefixof "ab" s)) (<= 2 (str.len s)))))
(check-sat)
