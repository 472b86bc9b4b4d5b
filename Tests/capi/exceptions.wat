;; Exceptions through the C API (Tests/capi/exceptions.c): a host tag and a host function that
;; throws it with swvm_caller_throw, caught in Wasm or left to reach the host.
(module
  (import "host" "tag" (tag $ht (param i32 i64)))
  (import "host" "throw_it" (func $throw_it (param i32)))
  (import "host" "throw_bad" (func $throw_bad))
  (tag $own (export "own") (param f64))
  ;; x -> the i32 of the host's exception (3x), caught here.
  (func (export "catch_host") (param i32) (result i32)
    (block $c (result i32 i64)
      (try_table (catch $ht $c) (call $throw_it (local.get 0)))
      (return (i32.const -1)))
    (drop))
  (func (export "pass_through") (param i32) (call $throw_it (local.get 0)))
  (func (export "throw_own") (param f64) (throw $own (local.get 0)))
  (func (export "bad") (call $throw_bad))
)
