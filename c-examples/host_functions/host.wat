;; Imports plain C functions and calls them; exports wrappers the C host calls (C -> Wasm -> C).
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32 i32)))              ;; (ptr, len) of a string in memory
  (import "env" "count" (func $count (result i64)))             ;; uses user data
  (import "env" "divmod" (func $divmod (param i32 i32) (result i32 i32)))
  (import "env" "check" (func $check (param i32)))              ;; traps on negative input
  (import "env" "scale" (func $scale (param f64 f32) (result f64)))
  (import "env" "limit" (global $limit i32))
  (import "env" "memory" (memory 1 4))
  (export "memory" (memory 0))
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (data (i32.const 16) "hello from wasm")

  (func (export "add_twice") (param i32 i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (call $add (call $add (local.get 0) (local.get 1)) (local.get 1)))
  (func (export "greet") (call $log (i32.const 16) (i32.const 15)))
  (func (export "count3") (result i64)
    (drop (call $count)) (drop (call $count)) (call $count))
  (func (export "divmod_sum") (param i32 i32) (result i32)
    (i32.add (call $divmod (local.get 0) (local.get 1))))
  (func (export "checked") (param i32) (result i32)
    (call $check (local.get 0))
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "scaled") (param f64) (result f64) (call $scale (local.get 0) (f32.const 0.5)))
  (func (export "limit") (result i32) (global.get $limit)))
