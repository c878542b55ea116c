; A tc classifier that drops every packet (TC_ACT_SHOT = 2), attached direct-action on flannel.1's ingress, as a
; filter that silently eats VXLAN would be. (This kernel has neither cls_matchall nor act_gact for
; 'matchall action drop'.)
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

@_license = dso_local global [4 x i8] c"GPL\00", section "license", align 1

define dso_local i32 @tc_drop(i8* nocapture readnone %skb) section "tc" {
  ret i32 2
}
