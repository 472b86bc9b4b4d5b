;; The module the instance-lifetime test instantiates over and over: an imported host
;; function, a memory with a data segment, a table filled by an element segment, a mutable
;; global and calls through the table, so each instance has everything an instance can own.
(module
  (type $bin (func (param i32 i32) (result i32)))
  (import "env" "host_add" (func $host_add (type $bin)))
  (memory (export "memory") 1)
  (data (i32.const 16) "c")
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $double $host_add)
  (global $count (export "count") (mut i32) (i32.const 0))
  (func $double (type $bin) (i32.add (local.get 0) (local.get 0)))
  ;; run(x) = table[0](x, x) + table[1](x, 'c') = 3x + 99 with the module's own table.
  (func (export "run") (param $x i32) (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (i32.add
      (call_indirect (type $bin) (local.get $x) (local.get $x) (i32.const 0))
      (call_indirect (type $bin) (local.get $x) (i32.load8_u (i32.const 16)) (i32.const 1)))))
