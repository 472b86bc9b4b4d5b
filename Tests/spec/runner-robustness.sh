#!/usr/bin/env bash
# swvm-spectest never crashes on input it does not expect: each bad command is a failure with
# file and line, the good ones still run, and a file that is not JSON fails alone.
#
#   Tests/spec/runner-robustness.sh path/to/swvm-spectest     (run by ctest as spectest_bad_input)
set -euo pipefail
runner="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
printf '\x00asm\x01\x00\x00\x00\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f\x03\x02\x01\x00\x07\x07\x01\x03add\x00\x00\x0a\x09\x01\x07\x00\x20\x00\x20\x01\x6a\x0b' \
    > "$tmp/add.wasm"
cat > "$tmp/bad.json" <<'JSON'
{"commands":[
{"type":"module","line":1,"filename":"add.wasm","module_type":"binary"},
{"type":"assert_return","line":2,"action":{"type":"invoke","field":"add","args":[{"type":"i32","value":"-1"},{"type":"i32","value":"1"}]},"expected":[{"type":"i32","value":"0"}]},
{"type":"assert_return","line":3,"action":{"type":"invoke","field":"add","args":[{"type":"i32","value":"4294967295"},{"type":"i32","value":"2"}]},"expected":[{"type":"i32","value":"1"}]},
{"type":"assert_return","line":4,"action":{"type":"invoke","field":"add","args":[{"type":"i32","value":-1},{"type":"i32","value":"1"}]},"expected":[{"type":"i32","value":"0"}]},
{"type":"assert_return","line":5,"action":{"type":"invoke","field":"add","args":[{"type":"i32","value":"99999999999"},{"type":"i32","value":"1"}]},"expected":[{"type":"i32","value":"0"}]},
{"type":"assert_return","line":6,"action":"x","expected":5},
{"type":"assert_return","line":7,"action":{"type":"invoke","field":"add","args":[{"type":"i64","value":"-9223372036854775808"},{"type":"i32","value":"1"}]},"expected":[]},
{"type":"register","line":8},
{"type":"frobnicate","line":9},
{"type":"assert_return","line":10,"action":{"type":"invoke","field":"add","args":[{"type":"i32","value":"0x10"},{"type":"i32","value":"1"}]},"expected":[{"type":"either","values":[{"type":"i32","value":"16"},{"type":"i32","value":"17"}]}]},
{"type":"assert_return","line":11,"action":{"type":"invoke","field":"add","args":[]},"expected":[{"type":"anyref"}]},
{"type":"module","line":12,"filename":"missing.wasm","module_type":"binary"},
{"type":"assert_return","line":13,"action":{"type":"invoke","field":"add","args":[{"type":"i32","value":"1"},{"type":"i32","value":"1"}]},"expected":[{"type":"i32","value":"2"}]},
{"type":"module_definition","line":20,"name":"M","filename":"add.wasm","module_type":"binary"},
{"type":"module_instance","line":21,"instance":"I1","module":"M"},
{"type":"assert_return","line":22,"action":{"type":"invoke","module":"I1","field":"add","args":[{"type":"i32","value":"1"},{"type":"i32","value":"2"}]},"expected":[{"type":"i32","value":"3"}]},
{"type":"assert_exception","line":23,"action":{"type":"invoke","module":"I1","field":"add","args":[{"type":"i32","value":"1"},{"type":"i32","value":"2"}]}},
{"line":"x"},
7
]}
JSON
echo '[1, 2' > "$tmp/truncated.json"
status=0
"$runner" --verbose "$tmp" > "$tmp/out.txt" 2>&1 || status=$?
cat "$tmp/out.txt"
[ "$status" = 1 ] || { echo "FAIL: exit status $status, expected 1"; exit 1; }
# Passed: lines 1, 2, 3, 10 and the definition, instantiation and call of lines 20-22.
# Skipped: line 11 (a GC heap type). Failed: the other eleven commands of bad.json (line 23
# expects an exception the call does not throw), and truncated.json.
grep -q '^bad.json: 7 passed, 11 failed, 1 skipped' "$tmp/out.txt" || { echo "FAIL: wrong counts for bad.json"; exit 1; }
grep -q '^7 passed, 12 failed, 1 skipped$' "$tmp/out.txt" || { echo "FAIL: wrong totals"; exit 1; }
grep -q 'FAIL bad.json:23 assert_exception: expected an uncaught exception, got \[i32:3\]' "$tmp/out.txt"
grep -q 'FAIL bad.json:5 assert_return: i32 argument "99999999999" is not a 32-bit integer' "$tmp/out.txt"
grep -q 'FAIL bad.json:13 assert_return: no current module (the module at line 12 failed)' "$tmp/out.txt"
grep -q 'FAIL truncated.json: unreadable JSON' "$tmp/out.txt"
echo "ok: swvm-spectest reported every bad command and did not crash"
