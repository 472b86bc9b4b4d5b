;; The module the wasm.h test instantiates: imports of every kind (three host functions, one
;; of them multi-value and one that traps, a global and a table), exports of every kind, and
;; functions that trap, call through tables and pass references around.
(module
  (import "host" "add" (func $add (param i32 i32) (result i32)))
  (import "host" "swap" (func $swap (param i64 f64) (result f64 i64)))
  (import "host" "fail" (func $fail))
  (import "host" "counter" (global $counter (mut i32)))
  (import "host" "refs" (table $refs 2 externref))
  (memory (export "memory") 1 3)
  (global (export "g") (mut f32) (f32.const 1.5))
  (table $funcs (export "funcs") 2 funcref)
  (elem (table $funcs) (i32.const 0) func $double $trap)
  (func $double (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $trap (export "trap") (unreachable))
  (func (export "call_add") (param i32 i32) (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (call $add (local.get 0) (local.get 1)))
  (func (export "call_swap") (param i64 f64) (result f64 i64) (call $swap (local.get 0) (local.get 1)))
  (func (export "call_fail") (call $fail))
  ;; divide(x) = 1 / x through a second frame, so a trap has two frames.
  (func (export "divide") (param i32) (result i32) (call $inner (local.get 0)))
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "call_indirect") (param i32 i32) (result i32)
    (call_indirect $funcs (param i32) (result i32) (local.get 0) (local.get 1)))
  (func (export "ref_roundtrip") (param externref) (result externref) (local.get 0))
  (func (export "store_ref") (param i32 externref) (table.set $refs (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))
