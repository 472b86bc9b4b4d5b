;; v128 values through the C API (Tests/capi/simd.c): calls, globals, host functions with
;; v128 in their signatures (one result, and several), native function pointers.
(module
  (import "env" "scale" (func $scale (param v128 i32) (result v128)))
  (import "env" "split" (func $split (param i32 v128) (result i32 v128 i64)))
  (global (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (func (export "add4") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  ;; scale(v, 3) + g
  (func (export "use_host") (param v128) (result v128)
    (i32x4.add (call $scale (local.get 0) (i32.const 3)) (global.get 0)))
  ;; split(7, v) gives (i32, v128, i64): lane 0 of the v128 + the i32 + the i64
  (func (export "use_split") (param v128) (result i32)
    (local $v v128) (local $k i64)
    (call $split (i32.const 7) (local.get 0))
    (local.set $k) (local.set $v)
    (i32.add (i32.add (i32x4.extract_lane 0 (local.get $v))) (i32.wrap_i64 (local.get $k))))
  ;; g := g * 2 lane-wise; returns the new g and its lane 3
  (func (export "double_g") (result v128 i32)
    (global.set 0 (i32x4.add (global.get 0) (global.get 0)))
    (global.get 0) (i32x4.extract_lane 3 (global.get 0))))
