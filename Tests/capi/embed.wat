;; A guest as a host sees it: imports of three kinds, exports of all four, and an allocator a
;; host function calls back through swvm_caller_export.
(module
  (import "env" "make_greeting" (func $make (param i32) (result i32)))
  (import "env" "scale" (global $scale i32))
  (import "env" "memory" (memory 1 2))
  (export "memory" (memory 0))
  (global $heap (export "heap") (mut i32) (i32.const 1024))
  (table (export "callbacks") 2 externref)
  ;; A bump allocator: returns the old heap top.
  (func $alloc (export "alloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (local.get $p))
  ;; greet(n): the host writes a greeting of n * scale bytes into guest memory it allocates
  ;; with `alloc`, and returns its address.
  (func (export "greet") (param $n i32) (result i32)
    (call $make (i32.mul (local.get $n) (global.get $scale))))
  ;; Every value kind in a signature, for introspection.
  (func (export "kinds") (param i64 f32 f64 externref funcref) (result f64 i32)
    (f64.const 1) (i32.const 2)))
