;; Typed function references through the C API (Tests/capi/typed_refs.c): functions that take
;; and return (ref $t), and a global of (ref null $t). What C passes must be of the declared
;; type: null for a non-nullable reference, or a function of another type, is refused.
(module
  (type $t (func (result i32)))
  (type $u (func (param i64) (result i32)))
  (func $answer (type $t) (i32.const 42))
  (func $other (type $u) (i32.const 7))
  (elem declare func $answer $other)
  (func (export "make") (result (ref $t)) (ref.func $answer))
  (func (export "make_other") (result (ref $u)) (ref.func $other))
  (func (export "apply") (param (ref $t)) (result i32) (call_ref $t (local.get 0)))
  (func (export "apply_nullable") (param (ref null $t)) (result i32) (call_ref $t (local.get 0)))
  (global (export "g") (mut (ref null $t)) (ref.null $t))
)
