;; Call-overhead workloads: an identity export for host -> Wasm calls, and loops that call an
;; imported host function (Wasm -> host) or an internal function (the same loop, for the
;; baseline) n times.
(module
  (import "env" "inc" (func $inc (param i32) (result i32)))
  (func $winc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "id") (param i32) (result i32) (local.get 0))
  (func (export "loop_host") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (call $inc (local.get $acc)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  (func (export "loop_wasm") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (call $winc (local.get $acc)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc)))
