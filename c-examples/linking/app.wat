;; An application module importing the library's memory, global and function.
(module
  (import "lib" "memory" (memory 1))
  (import "lib" "base" (global $base i32))
  (import "lib" "strlen" (func $strlen (param i32) (result i32)))
  (data (global.get $base) "linked modules\00")
  (func (export "length") (result i32) (call $strlen (global.get $base))))
