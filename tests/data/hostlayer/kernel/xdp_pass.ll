; An XDP program that passes every packet (XDP_PASS = 2), so that a real program is attached while ping and UDP
; still flow. LLVM IR because this machine has llc with a bpf target but no clang: llc -march=bpf -filetype=obj.
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

@_license = dso_local global [4 x i8] c"GPL\00", section "license", align 1

define dso_local i32 @xdp_pass(i8* nocapture readnone %ctx) section "xdp" {
  ret i32 2
}
