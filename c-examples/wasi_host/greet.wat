;; A minimal WASI command: writes its first argument and one environment variable's count to
;; stdout, lists nothing else, and exits with code 7 through proc_exit.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello from WASI, ")
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1))) (br $l)))
    (local.get $n))
  (func $print (param $p i32) (param $len i32)
    (i32.store (i32.const 512) (local.get $p))
    (i32.store (i32.const 516) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 512) (i32.const 1) (i32.const 520))))
  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 600) (i32.const 604)))
    (drop (call $args_get (i32.const 700) (i32.const 1024)))
    (call $print (i32.const 0) (i32.const 17))
    ;; argv[1] (or argv[0] when there is no argument), then a newline
    (call $print
      (i32.load (select (i32.const 704) (i32.const 700) (i32.gt_u (i32.load (i32.const 600)) (i32.const 1))))
      (call $strlen (i32.load (select (i32.const 704) (i32.const 700) (i32.gt_u (i32.load (i32.const 600)) (i32.const 1))))))
    (i32.store8 (i32.const 530) (i32.const 10))
    (call $print (i32.const 530) (i32.const 1))
    (call $proc_exit (i32.const 7))))
