;; Misbehaving guest code for the limits example: each export runs into one limit.
(module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  ;; Never returns.
  (func (export "spin")
    (loop $l (br $l)))
  ;; Never returns either, calling a function on each iteration.
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "spin_calling") (local i32)
    (loop $l
      (local.set 0 (call $leaf (local.get 0)))
      (global.set $g (local.get 0))
      (br $l)))
  ;; Unbounded recursion.
  (func $recurse (export "recurse") (param i64) (result i64)
    (i64.add (call $recurse (i64.add (local.get 0) (i64.const 1))) (i64.const 1)))
  ;; Grows memory by n pages: the old size, or -1.
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; Sums 0..n-1: a bounded loop to measure fuel with.
  (func (export "sum") (param i32) (result i64) (local i32) (local i64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 2 (i64.add (local.get 2) (i64.extend_i32_u (local.get 1))))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $l)))
    (local.get 2))
  ;; fib(n), recursively: work for the threads test.
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
)
