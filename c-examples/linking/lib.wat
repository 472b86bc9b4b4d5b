;; A library module: owns the memory and a string-length function.
(module
  (memory (export "memory") 1)
  (global (export "base") i32 (i32.const 100))
  (func (export "strlen") (param $p i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n)))
