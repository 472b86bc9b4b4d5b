;; A WASI program for `swvm run` that uses Wasm 3.0 tail calls and exceptions (hand-written:
;; clang-14 emits neither). _start prints what it computed; `escape` lets an exception out.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $found (export "found") (param i32))
  (tag $abort (export "abort") (param i64 i32))

  ;; Mutual recursion in constant stack: even/odd by return_call and return_call_indirect.
  (type $pred (func (param i64) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $odd)
  (func $even (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call_indirect (type $pred) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
  (func $odd (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))

  ;; A state machine of tail calls: counts the 'a's of a string of n characters, cycling
  ;; through three states.
  (func $s0 (param $n i32) (param $acc i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (local.get $acc))
      (else (return_call $s1 (i32.sub (local.get $n) (i32.const 1)) (i32.add (local.get $acc) (i32.const 1))))))
  (func $s1 (param $n i32) (param $acc i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (local.get $acc))
      (else (return_call $s2 (i32.sub (local.get $n) (i32.const 1)) (local.get $acc)))))
  (func $s2 (param $n i32) (param $acc i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (local.get $acc))
      (else (return_call $s0 (i32.sub (local.get $n) (i32.const 1)) (local.get $acc)))))

  ;; Searches 0..n for the first k with k*k > limit, leaving the loop by throwing.
  (func $search (param $limit i32) (local $k i32)
    (loop $next
      (if (i32.gt_u (i32.mul (local.get $k) (local.get $k)) (local.get $limit))
        (then (throw $found (local.get $k))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $next)))
  (func $first_square_above (param i32) (result i32)
    (block $caught (result i32)
      (try_table (catch $found $caught)
        (call $search (local.get 0)))
      (i32.const -1)))

  ;; Writes the decimal digits of a non-negative i32 and a newline at offset 100.
  (func $print_num (param $v i32) (local $p i32)
    (local.set $p (i32.const 120))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digits (local.get $v)))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 121) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func (export "_start")
    (call $print_num (call $even (i64.const 10000000)))
    (call $print_num (call $s0 (i32.const 3000000) (i32.const 0)))
    (call $print_num (call $first_square_above (i32.const 1000000))))

  (func (export "escape") (param i64) (result i32)
    (throw $abort (local.get 0) (i32.const 7)))
)
