; A tc classifier that lets every packet through (TC_ACT_OK = 0), attached direct-action on egress.
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

@_license = dso_local global [4 x i8] c"GPL\00", section "license", align 1

define dso_local i32 @tc_pass(i8* nocapture readnone %skb) section "tc" {
  ret i32 0
}
