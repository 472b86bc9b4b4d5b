;; v128 through the Python package (test_swvm.py): calls, a global, a host function taking one.
(module
  (import "env" "lanes" (func $lanes (param v128) (result i32)))
  (global (export "g") (mut v128) (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))
  (func (export "add4") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  ;; (v128) -> (i32, v128): what the host makes of v, and v + g
  (func (export "host") (param v128) (result i32 v128)
    (call $lanes (local.get 0)) (i8x16.add (local.get 0) (global.get 0))))
