// The FEAT_PRFMSLC prefetch operation names in every PRFM/PRFUM form, for the clang byte check.
        .text
        .globl prefetch_slc
prefetch_slc:
        prfm pldslckeep, [x3]
        prfm pldslcstrm, [x3, #8]
        prfm plislckeep, [sp, #32760]
        prfm plislcstrm, [x0, x1]
        prfm pstslckeep, [x0, x1, lsl #3]
        prfm pstslcstrm, [x0, w1, sxtw]
        prfum pldslckeep, [x3, #-3]
        prfum pstslcstrm, [x3, #255]
        prfm pldslcstrm, prefetch_slc
        prfm PSTSLCKEEP, .Lhere
.Lhere:
        prfm #6, [x3]
        prfm pldl1keep, [x3]
        ret
