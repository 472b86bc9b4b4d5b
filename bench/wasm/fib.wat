(module
  ;; The classic two-call recursion, i64.
  (func $fib (export "fib_recursive") (param $n i64) (result i64)
    (if (i64.lt_s (local.get $n) (i64.const 2))
      (then (return (local.get $n))))
    (i64.add
      (call $fib (i64.sub (local.get $n) (i64.const 1)))
      (call $fib (i64.sub (local.get $n) (i64.const 2)))))

  ;; The same recursion in the expression-final shape: one if/else whose value is the result.
  (func $fib_expr (export "fib_expr") (param $n i64) (result i64)
    (if (result i64) (i64.lt_s (local.get $n) (i64.const 2))
      (then (local.get $n))
      (else (i64.add
        (call $fib_expr (i64.sub (local.get $n) (i64.const 1)))
        (call $fib_expr (i64.sub (local.get $n) (i64.const 2)))))))

  ;; Iterative fib, i64: a tight loop with three locals.
  (func (export "fib_iterative") (param $n i64) (result i64)
    (local $a i64) (local $b i64) (local $t i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $t (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $a))

  ;; A counting loop: the cost of a back-edge and a compare.
  (func (export "count_loop") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i)))
