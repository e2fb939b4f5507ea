#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# xferctl end to end: every subcommand through ./xferctl (the Windows
# program under Wine, with xfer.sys loaded in a private session): exit
# codes, what goes to stdout and to stderr, transfers on every path, a
# file round trip through load/dump compared by checksum, the driver
# stopped and uninstalled, bad arguments, and --json.
#
#   tests/cli/test_cli.sh [NAME-PATTERN]
#
# Prints "PASS name" or "FAIL name: why" per test and ends with
# "N passed, N failed"; exits 1 if anything failed. The session lives in
# $BUILD/cli/session and is shut down at the end. XFERCTL=command runs
# another wrapper in place of ./xferctl. XFER_ARCH=x86 tests the 32-bit
# build, in $BUILD/cli-x86/.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-$top/build}
case $build in /*) ;; *) build=$top/$build ;; esac
xferctl=${XFERCTL:-$top/xferctl}
pattern=${1-}

case ${XFER_ARCH:-x64} in x64) cli_dir=$build/cli ;; *) cli_dir=$build/cli-$XFER_ARCH ;; esac
export XFER_SESSION=$cli_dir/session
work=$cli_dir/work
rm -rf "$work"
mkdir -p "$work" "$XFER_SESSION"
out=$work/stdout err=$work/stderr

passed=0 failed=0
why=""

# run ARGS...: runs xferctl with stdin from $input (default /dev/null);
# $rc, $out and $err hold the result.
input=/dev/null
run() {
  timeout -k 5 120 "$xferctl" "$@" <"$input" >"$out" 2>"$err"
  rc=$?
  input=/dev/null
}

# Checks; each records the first failure in $why and returns 1.
fail() { [ -n "$why" ] || why="$*"; return 1; }
what() { printf '`xferctl %s`' "$last"; }
rc_is() { [ "$rc" = "$1" ] || fail "$(what) exited $rc, not $1 (stderr: $(head -c 300 "$err" | tr '\n' ' '))"; }
out_has() { grep -qF -- "$1" "$out" || fail "$(what): stdout lacks '$1' (got: $(head -c 300 "$out" | tr '\n' ' '))"; }
err_has() { grep -qF -- "$1" "$err" || fail "$(what): stderr lacks '$1' (got: $(head -c 300 "$err" | tr '\n' ' '))"; }
out_empty() { [ ! -s "$out" ] || fail "$(what): stdout not empty: $(head -c 200 "$out" | tr '\n' ' ')"; }
err_empty() { [ ! -s "$err" ] || fail "$(what): stderr not empty: $(head -c 200 "$err" | tr '\n' ' ')"; }
out_is() { [ "$(cat "$out")" = "$1" ] || fail "$(what): stdout is '$(head -c 200 "$out")', not '$1'"; }
out_row() { grep -qE -- "^$1\$" "$out" || fail "$(what): no row matching '$1' in: $(tr '\n' '|' <"$out")"; }
json_ok() { python3 -m json.tool "$out" >/dev/null 2>&1 || fail "$(what): stdout is not valid JSON: $(head -c 200 "$out")"; }
# json_is EXPR VALUE: python expression on `d` (the parsed stdout).
json_is() {
  local got
  got=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$out" 2>&1) ||
    { fail "$(what): JSON: $got"; return 1; }
  [ "$got" = "$2" ] || fail "$(what): $1 is $got, not $2"
}

# x ARGS...: run, remembering the command line for messages.
x() { last="$*"; run "$@"; }
# ok ARGS...: run and require exit 0.
ok() { x "$@"; rc_is 0; }

t() {   # t NAME: runs the function NAME
  local name=$1
  case $name in *"$pattern"*) ;; *) return 0 ;; esac
  why=""
  "$name"
  if [ -z "$why" ]; then
    echo "PASS $name"; passed=$((passed + 1))
  else
    echo "FAIL $name: $why"; failed=$((failed + 1))
  fi
}

random_file() {   # 3000007 random bytes: three requests, an odd tail
  [ -f "$work/random.bin" ] || head -c 3000007 /dev/urandom >"$work/random.bin"
}

# --- usage --------------------------------------------------------------------
commands="install uninstall start stop status info stats trace write read load dump zero remove resize bench watch"

test_cli_help_lists_every_command() {
  ok --help && err_empty || return
  for c in $commands; do out_has "  $c" || return; done
}

test_cli_no_command_is_usage() {
  x && rc_is 2 && out_empty && err_has "usage: xferctl COMMAND" && err_has "bench"
}

test_cli_every_command_has_help() {
  for c in $commands; do
    ok "$c" --help && out_has "usage: xferctl $c" && out_has "--help" && err_empty || return
  done
  ok help load && out_has "usage: xferctl load [OPTIONS] FILE"
}

test_cli_unknown_command_and_option() {
  x frobnicate && rc_is 2 && err_has "unknown command 'frobnicate'" && err_has "xferctl --help" || return
  x read --bogus && rc_is 2 && err_has "unknown option '--bogus'" && err_has "xferctl read --help" || return
  x info --offset 4 && rc_is 2 && err_has "unknown option '--offset'" || return
  x load && rc_is 2 && err_has "missing FILE" || return
  x resize 1 2 && rc_is 2 && err_has "unexpected argument '2'" || return
  x read --via sideways && rc_is 2 && err_has "expected buffered, direct or neither" || return
  x read --length && rc_is 2 && err_has "--length needs a value" || return
  x read --ioctl=1 && rc_is 2 && err_has "--ioctl takes no value"
}

test_cli_bad_sizes_refused() {
  x read --length abc && rc_is 2 && err_has "not a number" || return
  x read --length 4Q && rc_is 2 && err_has "unknown unit" || return
  x read --length 1.5M && rc_is 2 || return
  x read --offset -1 && rc_is 2 || return
  x read --offset 99999999999999999999 && rc_is 2 && err_has "too large" || return
  x read --offset 16777216T && rc_is 2 && err_has "too large" || return
  x read --offset 9223372036854775808 && rc_is 2 && err_has "2^63 - 1" || return
  x resize 8E && rc_is 2 || return
  x install --max-size 0 && rc_is 2 || return
  x bench --count 0 && rc_is 2 || return
  x bench --length 1K --sizes 4K && rc_is 2 && err_has "one or the other" || return
  x bench --seconds 0 && rc_is 2 && err_has "0.001 to 3600" || return
  x bench --seconds 1s && rc_is 2 || return
  x bench --sizes 4K,,1M && rc_is 2 || return
  x bench --sizes 128M && rc_is 2 && err_has "64M" || return
  x bench --threads 0 && rc_is 2 && err_has "1 to 64" || return
  x bench --rounds 0 && rc_is 2
}

# --- the running driver ---------------------------------------------------------
test_cli_status_running() {
  ok status && out_has "installed, running" && out_has "of 64 MiB" && err_empty
}

test_cli_sizes_accepted() {
  local spec want
  for spec in 4096:4096 4K:4096 4k:4096 4KiB:4096 1M:1048576 1MiB:1048576 0x2000:8192 \
              3B:3 0:0 63M:66060288; do
    want=${spec#*:}
    ok resize "${spec%%:*}" && err_has "the store's size is $want bytes" || return
    ok info --json && json_is 'd["size"]' "$want" || return
  done
}

test_cli_info_text_and_json() {
  ok remove && ok resize 100 || return
  ok info && out_has "size          100 bytes" && out_has "limit         67108864 bytes (64 MiB)" &&
    out_has "chunk size    65536 bytes" && err_empty || return
  ok info --json --via neither && json_ok && json_is 'd["size"]' 100 &&
    json_is 'd["limit"]' 67108864 && json_is 'd["chunk_size"]' 65536 &&
    json_is 'd["version"]' 3 && json_is 'd["pending_waiters"]' 0 && json_is 'd["open_handles"]' 1 &&
    json_is 'sorted(d)' \
      "['bytes_allocated', 'chunk_size', 'generation', 'limit', 'open_handles', 'pending_waiters', 'size', 'version']" || return
  ok info && out_has "handles       1 open (this one included)"
}

test_cli_write_read_every_path() {
  local via io rvia
  for via in buffered direct neither; do
    for io in "" --ioctl; do
      ok remove || return
      printf 'through %s%s' "$via" "$io" >"$work/msg"
      input=$work/msg; ok write --via "$via" $io --offset 4096 && out_empty && err_empty || return
      for rvia in buffered direct neither; do
        ok read --via "$rvia" --offset 4096 && out_is "through $via$io" || return
        ok read --via "$rvia" --ioctl --offset 4098 --length 5 && out_is "rough" || return
      done
      ok info --json && json_is 'd["size"]' $((4096 + $(wc -c <"$work/msg"))) || return
    done
  done
}

test_cli_read_defaults_and_end() {
  ok remove || return
  printf '0123456789' >"$work/ten"; input=$work/ten; ok write || return
  ok read && out_is "0123456789" && err_empty || return
  ok read --offset 7 && out_is "789" || return
  ok read --offset 10 && out_empty || return
  ok read --offset 1G && out_empty || return
  ok read --offset 8 --length 100 && out_is "89" && err_has "the store ends at offset 10" || return
  input=$work/ten; ok write --offset 20 --length 4 || return
  { printf '89'; head -c 10 /dev/zero; printf '0123'; } >"$work/expected"
  ok read --offset 8 && cmp -s "$out" "$work/expected" ||
    fail "a hole does not read as zeros: $(od -An -c "$out")"
}

test_cli_load_dump_round_trip() {
  local via io sum
  random_file
  sum=$(sha256sum <"$work/random.bin" | cut -d' ' -f1)
  for via in buffered direct neither; do
    for io in "" --ioctl; do
      ok remove || return
      ok load "$work/random.bin" --via "$via" $io --offset 12345 && out_empty &&
        err_has "loaded 3000007 bytes" || return
      ok dump "$work/back.bin" --via neither --offset 12345 && err_has "dumped 3000007 bytes" || return
      [ "$(sha256sum <"$work/back.bin" | cut -d' ' -f1)" = "$sum" ] ||
        { fail "load --via $via $io then dump: checksums differ"; return; }
      ok read --via direct --ioctl --offset 12345 || return
      [ "$(sha256sum <"$out" | cut -d' ' -f1)" = "$sum" ] ||
        { cp "$out" "$work/read-back.bin"
          fail "load --via $via $io then read: checksums differ ($(wc -c <"$out") bytes; kept in $work/read-back.bin)"; return; }
    done
  done
  ok dump "$work/head.bin" --length 12345 && [ "$(tr -d '\0' <"$work/head.bin" | wc -c)" = 0 ] &&
    [ "$(wc -c <"$work/head.bin")" = 12345 ] || fail "the hole before the offset is not 12345 zeros"
}

test_cli_large_write_from_a_pipe() {
  head -c 5M /dev/urandom >"$work/five.bin"
  ok remove || return
  # From a pipe, with stderr redirected: no progress bar, no message.
  last="write --via direct < pipe"
  cat "$work/five.bin" | "$xferctl" write --via direct >"$out" 2>"$err"; rc=$?
  rc_is 0 && out_empty && err_empty || return
  ok read --via buffered --ioctl && cmp -s "$out" "$work/five.bin" ||
    fail "5 MiB written from a pipe did not read back"
}

test_cli_errors_for_missing_files() {
  x load "$work/no-such-file" && rc_is 1 && err_has "cannot open" || return
  x dump "$work/no/such/dir/out" && rc_is 1 && err_has "cannot create"
}

test_cli_zero_remove_resize() {
  ok remove && printf 'abcdef' >"$work/six" && input=$work/six && ok write || return
  ok zero && err_has "zero" || return
  ok read && [ "$(od -An -tx1 "$out" | tr -d ' ')" = "000000000000" ] || fail "zero left non-zero bytes" || return
  ok info --json && json_is 'd["size"]' 6 && json_is 'd["bytes_allocated"]' 0 || return
  ok remove && ok info --json && json_is 'd["size"]' 0 || return
  ok resize 1M && ok info --json && json_is 'd["size"]' 1048576 && json_is 'd["bytes_allocated"]' 0 || return
  ok resize 3 && ok info --json && json_is 'd["size"]' 3
}

test_cli_resize_past_limit() {
  x resize 65M && rc_is 1 && err_has "IOCTL_XFER_SET_SIZE on \\\\.\\XferBuffered failed" &&
    err_has "Win32 error 112" && err_has "limit is 64 MiB" && err_has "--max-size"
}

test_cli_stats_table_and_json() {
  ok stats --reset && err_has "the counters are reset" || return
  printf 'hello' >"$work/hello"; input=$work/hello; ok write --via direct || return
  ok read --via neither --ioctl --length 5 || return
  ok stats && out_has "requests" && out_row "direct +WriteFile +1 +5 +0" &&
    out_row "neither +IOCTL READ_NEITHER +1 +5 +0" || return
  grep -qE "^buffered +ReadFile" "$out" && { fail "an all-zero row is shown"; return; }
  ok stats --json --via neither && json_ok && json_is 'd["direct"]["write_file"]["requests"]' 1 &&
    json_is 'd["direct"]["write_file"]["bytes"]' 5 &&
    json_is 'd["neither"]["ioctl_read_neither"]["bytes"]' 5 &&
    json_is 'len(d["buffered"])' 9 && json_is 'sorted(d)' "['buffered', 'direct', 'neither']"
}

test_cli_trace() {
  ok trace >/dev/null || return
  printf 'abc' >"$work/abc"; input=$work/abc; ok write --via neither --offset 77 || return
  ok trace && out_has "Neither   Write 3 bytes at offset 77" && out_has "Neither   Write: 3 bytes written" || return
  ok trace && out_has "Neither   Write 3 bytes at offset 77" ||
    fail "a second trace does not show the records again: reading must not erase them"
}

# pending_is N: waits (up to 20 s) until the driver has N waits pending:
# a background `watch` has re-armed after each change.
pending_is() {
  local i got=""
  for i in $(seq 200); do
    run info --json
    got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pending_waiters"])' "$out" 2>/dev/null)
    [ "$got" = "$1" ] && return 0
    sleep 0.1
  done
  fail "the driver's pending_waiters stayed at '$got', never $1"
}

# watch_start ARGS...: `xferctl watch ARGS` in the background (not under
# timeout, which would turn Ctrl+C into SIGTERM); $watch is its pid.
watch_start() {
  "$xferctl" watch "$@" <"/dev/null" >"$work/watch.out" 2>"$work/watch.err" &
  watch=$!
}
# watch_end: waits for it (killing it after 30 s); $rc is its exit code.
watch_end() {
  local i
  for i in $(seq 300); do kill -0 "$watch" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$watch" 2>/dev/null
  wait "$watch"; rc=$?
}

test_cli_watch_until_ctrl_c() {
  ok remove && pending_is 0 || return
  watch_start --json
  pending_is 1 || { kill -KILL "$watch"; return; }
  printf 'abc' >"$work/abc"; input=$work/abc; ok write --via direct --offset 10 && pending_is 1 &&
    ok zero && pending_is 1 && ok resize 5 && pending_is 1 || { kill -KILL "$watch"; return; }
  kill -INT "$watch"   # what Ctrl+C does to a program under Wine
  watch_end; last="watch --json"
  out=$work/watch.out err=$work/watch.err
  rc_is 0 && err_has "stopped after 3 changes" && json_lines_ok || { out=$work/stdout err=$work/stderr; return; }
  out=$work/stdout err=$work/stderr
  # The pending request was cancelled, not left behind.
  pending_is 0 && ok info && out_has "waiters       0 pending"
}

# Each line of watch.out is JSON: a write of 3 bytes at 10, a zero, a
# resize from 13 bytes to 5.
json_lines_ok() {
  python3 - "$work/watch.out" <<'PY' || fail "watch --json printed: $(tr '\n' '|' <"$work/watch.out")"
import json, sys
d = [json.loads(line) for line in open(sys.argv[1])]
assert [c["kind"] for c in d] == ["write", "zero", "resize"], d
assert (d[0]["offset"], d[0]["length"], d[0]["size"]) == (10, 3, 13), d
assert (d[2]["offset"], d[2]["length"], d[2]["size"]) == (5, 8, 5), d
assert d[1]["generation"] == d[0]["generation"] + 1 == d[2]["generation"] - 1, d
PY
}

test_cli_watch_changes_and_stopped_driver() {
  ok remove && pending_is 0 || return
  watch_start --changes 2 --via neither
  pending_is 1 || { kill -KILL "$watch"; return; }
  printf 'abc' >"$work/abc"; input=$work/abc; ok write --offset 4096 && pending_is 1 &&
    ok remove || { kill -KILL "$watch"; return; }
  watch_end; last="watch --changes 2"
  out=$work/watch.out err=$work/watch.err
  rc_is 0 && out_has "write of 3 bytes at offset 4096, size 4099" &&
    out_has "remove: 4099 bytes freed, size 0" || { out=$work/stdout err=$work/stderr; return; }
  out=$work/stdout err=$work/stderr
  # Wine's service manager (not Windows') unloads the driver under an open
  # handle: the wait ends, and watch says so. (`xferctl stop` refuses while
  # watch has a handle open: test_cli_stop_with_handles_open.)
  watch_start
  pending_is 1 || { kill -KILL "$watch"; return; }
  x exec sc stop xfer || { kill -KILL "$watch"; return; }
  watch_end; last="watch"
  out=$work/watch.out err=$work/watch.err
  rc_is 1 && err_has "the driver stopped"
  out=$work/stdout err=$work/stderr
  ok start
}

test_cli_bench() {
  ok bench --count 8 --length 4K && out_has "at most 8 requests" && out_has "4 KiB requests" || return
  [ "$(grep -cE '^(ReadFile|WriteFile|IOCTL) ' "$out")" = 13 ] || { fail "bench does not show 13 paths"; return; }
  ok bench --json --count 4 --length 1K && json_ok && json_is 'len(d["results"])' 13 &&
    json_is 'sorted(set(r["requests"] for r in d["results"]))' '[4]' &&
    json_is 'all(r["mb_per_s"] > 0 and r["us_min"] <= r["us_p50"] <= r["us_p99"] for r in d["results"])' True || return
  # Sizes, 0 among them: GET_SIZE once, every other path at each size.
  ok bench --json --count 2 --sizes 0,4K && json_ok && json_is 'len(d["results"])' 25 &&
    json_is 'sorted(set(r["length"] for r in d["results"]))' '[0, 8, 4096]' &&
    json_is 'all(r["bytes"] == r["requests"] * r["length"] for r in d["results"])' True || return
  # Client threads: ReadFile and WriteFile on each device, for each count.
  ok bench --json --count 2 --seconds 0.05 --threads 1,3 && json_ok &&
    json_is 'len(d["concurrency"])' 12 &&
    json_is 'all(c["requests"] >= c["threads"] for c in d["concurrency"])' True || return
  # --null without the null driver: said so, with what to do.
  x bench --null --count 2 && rc_is 1 && err_has "xfernull.sys" && out_empty
}

test_cli_text_output_has_unix_line_ends() {
  ok info && ! grep -q $'\r' "$out" || fail "stdout has CR line ends"
}

# --- a small limit: all or nothing per request ----------------------------------
test_cli_disk_full_reports_what_was_stored() {
  ok install --force --max-size 2M && err_has "limit 2 MiB" || return
  ok start && err_has "store limit 2 MiB" || return
  random_file
  # 3000007 bytes go in requests of 1 MiB: the third, of 902855 bytes, ends past 2 MiB.
  x load "$work/random.bin" && rc_is 1 &&
    err_has "WriteFile of 902855 bytes at offset 2097152 on \\\\.\\XferBuffered failed" &&
    err_has "Win32 error 112" && err_has "2097152 bytes were stored (offsets 0 to 2097152)" &&
    err_has "limit is 2 MiB (2097152 bytes)" && err_has "xferctl install --force --max-size" || return
  ok info --json && json_is 'd["size"]' 2097152 && json_is 'd["limit"]' 2097152 || return
  x load "$work/random.bin" --offset 2M --ioctl --via direct && rc_is 1 && err_has "nothing was stored" &&
    err_has "IOCTL_XFER_WRITE_DIRECT of 1048576 bytes at offset 2097152 on \\\\.\\XferDirect failed"
}

# --- the driver stopped, uninstalled, installed again ----------------------------
test_cli_stopped_driver() {
  ok stop && err_has "the driver is stopped" || return
  ok stop && err_has "not running" || return
  ok status && out_has "installed, stopped" || return
  x info && rc_is 1 && out_empty &&
    err_has 'cannot open \\.\XferBuffered: the driver is not running: run `xferctl start`' || return
  input=$work/abc; x write --via direct && rc_is 1 && err_has 'cannot open \\.\XferDirect: the driver is not running' || return
  x dump "$work/never.bin" && rc_is 1 && [ ! -e "$work/never.bin" ] || fail "a failed dump left a file" || return
  # An existing file survives a dump that cannot even open the device.
  echo precious >"$work/precious.txt"
  x dump "$work/precious.txt" && rc_is 1 && [ "$(cat "$work/precious.txt")" = precious ] ||
    fail "a dump with the driver stopped destroyed the file it was to replace" || return
  ls "$work"/*.tmp >/dev/null 2>&1 && { fail "a failed dump left a temporary file"; return; }
  ok start && err_has "the driver is running" || return
  ok start && err_has "already running" || return
  ok info --json && json_is 'd["size"]' 0   # a fresh store
}

test_cli_uninstalled_driver() {
  ok uninstall && err_has "uninstalled" || return
  ok status && out_has "not installed" || return
  x info && rc_is 1 && err_has "the driver is not installed: run \`xferctl install\`" || return
  x start && rc_is 1 && err_has "not installed" || return
  x stop && rc_is 1 && err_has "not installed" || return
  x uninstall && rc_is 1 && err_has "not installed" || return
  x install --driver "$work/no-such.sys" && rc_is 1 && err_has "there is no" || return
  ok install --max-size 8M && err_has "store limit 8 MiB" || return
  x install && rc_is 1 && err_has "already installed" && err_has "xferctl uninstall" || return
  ok start && ok info --json && json_is 'd["limit"]' 8388608 || return
  ok install --force && ok start && ok info --json && json_is 'd["limit"]' 67108864
}

# --- what users do (issue 14) ----------------------------------------------------
test_cli_dump_keeps_the_file_until_it_is_whole() {
  echo precious >"$work/precious.txt"
  x dump "$work/precious.txt" --offset 9223372036854775807 --length 2 && rc_is 2 || return
  [ "$(cat "$work/precious.txt")" = precious ] || { fail "a refused dump destroyed the file"; return; }
  ok remove && printf 'fresh' >"$work/fresh" && input=$work/fresh && ok write || return
  ok dump "$work/precious.txt" && [ "$(cat "$work/precious.txt")" = fresh ] ||
    fail "a whole dump did not replace the file: $(head -c 40 "$work/precious.txt")" || return
  ls "$work"/*.tmp >/dev/null 2>&1 && { fail "a dump left its temporary file"; return; }
  # A device is written in place, not replaced.
  ok dump /dev/null && err_has "dumped 5 bytes"
}

test_cli_install_force_checks_the_new_driver_first() {
  ok remove && printf 'kept' >"$work/kept" && input=$work/kept && ok write || return
  x install --force --driver "$work/typo.sys" && rc_is 1 && err_has "there is no" || return
  echo "not a driver" >"$work/text.sys"
  x install --force --driver "$work/text.sys" && rc_is 1 && err_has "is not a driver" || return
  ok status && out_has "installed, running" || return
  ok read && out_is kept || fail "a refused reinstall lost the store"
}

test_cli_reader_gone() {
  ok resize 2M || return
  last="read | head -c 10"
  "$xferctl" read </dev/null 2>"$err" | head -c 10 >"$out"; rc=${PIPESTATUS[0]}
  rc_is 1 && err_empty && [ "$(wc -c <"$out")" = 10 ] || return
  # watch ends at the first change it cannot print, its wait not re-armed.
  ok remove && pending_is 0 || return
  ( "$xferctl" watch </dev/null 2>"$work/watch.err" | head -n 1 >"$work/watch.out" ) &
  watch=$!
  pending_is 1 || { kill -KILL "$watch"; return; }
  printf 'abc' >"$work/abc"; input=$work/abc; ok write || { kill -KILL "$watch"; return; }
  # head has its line and exits; the next change finds no reader.
  local i
  for i in $(seq 100); do [ -s "$work/watch.out" ] && break; sleep 0.1; done
  pending_is 1 && sleep 0.5 && input=$work/abc && ok write --offset 3 || { kill -KILL "$watch"; return; }
  watch_end; last="watch | head -n 1"
  # pipefail: the pipeline's status is watch's, 1, quietly; 137 if killed.
  [ "$rc" = 1 ] || fail "the watch pipeline did not end by itself with 1 (status $rc)" || return
  grep -q "write of 3 bytes at offset 0" "$work/watch.out" || fail "watch printed: $(cat "$work/watch.out")" || return
  grep -q "failed" "$work/watch.err" && { fail "watch: $(cat "$work/watch.err")"; return; }
  pending_is 0
}

# trace --follow ends too, as watch does, at the first records it cannot
# print; the timeout makes a follow that polls on forever fail the test.
test_cli_trace_follow_reader_gone() {
  local follow i
  printf 'abc' >"$work/abc"; input=$work/abc; ok write || return   # a record to print at once
  ( "$xferctl" trace --follow </dev/null 2>"$work/follow.err" | head -n 1 >"$work/follow.out" ) &
  follow=$!
  for i in $(seq 100); do [ -s "$work/follow.out" ] && break; sleep 0.1; done
  # head has its line and is gone; the next records find no reader.
  sleep 0.5; input=$work/abc; ok write --offset 3 || { kill -KILL "$follow"; return; }
  for i in $(seq 300); do kill -0 "$follow" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$follow" 2>/dev/null
  wait "$follow"; rc=$?
  last="trace --follow | head -n 1"
  # pipefail: the pipeline's status is trace's, 1, quietly; 137 if killed.
  [ "$rc" = 1 ] || fail "the trace --follow pipeline did not end by itself with 1 (status $rc)" || return
  [ "$(wc -l <"$work/follow.out")" = 1 ] || fail "head got: $(cat "$work/follow.out")" || return
  grep -q "failed" "$work/follow.err" && fail "trace --follow: $(cat "$work/follow.err")"
  return 0
}

test_cli_bench_stays_in_its_window() {
  ok remove || return
  # A window of 4 MiB + 1 byte: the last fill request is that one byte.
  printf 'MARK' >"$work/mark"; input=$work/mark; ok write --offset 4194305 || return
  ok bench --length 4194305 --count 1 --seconds 0.01 || return
  ok read --offset 4194305 && out_is MARK || fail "bench wrote past its window" || return
  # Ending at the limit: no request past it.
  ok remove && ok bench --offset 62914559 --length 4194305 --count 1 --seconds 0.01 || return
  ok info --json && json_is 'd["size"]' 67108864
}

test_cli_short_input_said() {
  ok remove && printf 'abc' >"$work/abc" && input=$work/abc || return
  ok write --length 10 && err_has "stdin ended after 3 of the 10 bytes asked: 3 bytes were stored" || return
  ok load "$work/abc" --length 10 --offset 8 && err_has "ended after 3 of the 10 bytes asked" || return
  ok info --json && json_is 'd["size"]' 11
}

test_cli_stop_with_handles_open() {
  ok remove && pending_is 0 || return
  watch_start
  pending_is 1 || { kill -KILL "$watch"; return; }
  x stop && rc_is 1 && err_has "cannot stop the driver: 1 handle to its devices is open" &&
    err_has "Windows unloads the driver only when the last one closes" || { kill -KILL "$watch"; return; }
  x uninstall && rc_is 1 && err_has "cannot uninstall the driver: 1 handle" || { kill -KILL "$watch"; return; }
  x install --force && rc_is 1 && err_has "cannot reinstall the driver: 1 handle" || { kill -KILL "$watch"; return; }
  # Nothing happened to the driver or to the wait.
  ok status && out_has "installed, running" && pending_is 1 || { kill -KILL "$watch"; return; }
  kill -INT "$watch"; watch_end
  ok stop && err_has "the driver is stopped" && ok start
}

test_cli_exec() {
  local exe=$build/${XFER_ARCH:-x64}/xferctl.exe
  ok remove && printf 'from exec' >"$work/msg" && input=$work/msg || return
  ok exec "$exe" write --offset 100 || return
  ok read --offset 100 && out_is "from exec" || return
  x exec "$exe" frobnicate && rc_is 2 && err_has "unknown command" || return
  x exec cmd /c "exit 7" && rc_is 7 || return
  x exec && rc_is 2 && err_has "usage: ./xferctl exec PROGRAM"
}

# xferctl's messages, tested inside a Windows program (tests/cli/test_report.c).
test_cli_report_messages() {
  x exec "$build/${XFER_ARCH:-x64}/xferctl-report-tests.exe" && rc_is 0 && out_has " 0 failed"
}

# A Windows API the program lacks is named in one sentence, exit status 1
# (lib/compat.c), as on a Windows older than Vista; one it has is found.
test_cli_missing_api_said() {
  local exe=$build/${XFER_ARCH:-x64}/xfer-need-api.exe
  x exec "$exe" kernel32.dll CancelIoEx && rc_is 0 && err_empty || return
  x exec "$exe" kernel32.dll XferNoSuchApi && rc_is 1 && out_empty || return
  [ "$(tr -d '\r' <"$err")" = "xfer-need-api: this Windows lacks XferNoSuchApi (Windows Vista or later is needed; xfer supports Windows 10 and later)" ] ||
    fail "$(what): stderr is '$(head -c 300 "$err")'"
}

test_cli_environment_failures_exit_1() {
  last="XFER_ARCH=arm status"
  XFER_ARCH=arm timeout -k 5 60 "$xferctl" status </dev/null >"$out" 2>"$err"; rc=$?
  rc_is 1 && err_has "unknown architecture arm" || return
  # A failed build: a make that fails, for a build directory with nothing.
  mkdir -p "$work/bin" && printf '#!/bin/sh\nexit 2\n' >"$work/bin/make" && chmod +x "$work/bin/make"
  last="status (failed build)"
  PATH=$work/bin:$PATH BUILD=$work/nothing XFER_SESSION=$work/nothing-session \
    timeout -k 5 60 "$xferctl" status </dev/null >"$out" 2>"$err"; rc=$?
  rc_is 1 && err_has "the build failed"
}

# The driver host crashing (under Wine: winedevice.exe gone, the service
# still RUNNING) is noticed, and the next command gets a new session.
test_cli_crashed_driver_host() {
  local pid image=$XFER_SESSION/pfx/drive_c/windows/system32/drivers/xfer.sys killed=""
  for pid in $(pgrep -f 'winedevice\.exe'); do
    grep -qF "$image" "/proc/$pid/maps" 2>/dev/null && { kill -KILL "$pid"; killed=$pid; }
  done
  [ -n "$killed" ] || { fail "no driver host found for $image"; return; }
  sleep 1
  x info && rc_is 0 && err_has "driver host (winedevice.exe) has died" &&
    err_has "starting a new session" && out_has "size          0 bytes" || return
  ok status && out_has "installed, running"
}

# Last: the session ends cleanly, the driver unloads, its log shows no
# crash, unimplemented call or leak. Shutdown waits for the session lock
# that a first command holds while it builds the session.
test_cli_shutdown_clean() {
  rm -f "$work/kept-while-locked"
  # The lock's holder notes, as it lets go, whether the session is still there.
  flock "$XFER_SESSION/session.lock" \
    sh -c 'sleep 8; [ -d "$1" ] && touch "$2"' sh "$XFER_SESSION/pfx" "$work/kept-while-locked" &
  sleep 0.5
  last=shutdown
  timeout -k 5 120 "$xferctl" shutdown >"$out" 2>"$err"; rc=$?
  wait
  [ -e "$work/kept-while-locked" ] || fail "shutdown ended the session while another command held its lock" || return
  rc_is 0 && err_empty && [ ! -d "$XFER_SESSION/pfx" ] || fail "the session's prefix is still there"
}

[ -x "$xferctl" ] || { echo "FAIL cli_session: no $xferctl"; echo "0 passed, 1 failed"; exit 1; }
# A fresh session: nothing of an earlier, interrupted run.
"$xferctl" shutdown >/dev/null 2>&1 </dev/null
trap '"$xferctl" shutdown >/dev/null 2>&1 </dev/null; rm -rf "$work"' EXIT
# The first use starts the session (and may build what is missing).
"$xferctl" status >"$work/first.log" 2>&1 </dev/null ||
  { cat "$work/first.log"; echo "FAIL cli_session: ./xferctl status failed"; echo "0 passed, 1 failed"; exit 1; }
# The session must answer later commands, promptly, and keep the store
# between them; if not, stop here rather than run every test into it.
session_broken() { echo "FAIL cli_session: $1"; echo "0 passed, 1 failed"; exit 1; }
timeout -k 5 30 "$xferctl" resize 5 >/dev/null 2>&1 </dev/null ||
  session_broken "a second ./xferctl command failed or did not answer within 30 s"
[ "$(timeout -k 5 30 "$xferctl" info --json 2>/dev/null </dev/null |
     python3 -c 'import json,sys; print(json.load(sys.stdin)["size"])' 2>/dev/null)" = 5 ] ||
  session_broken "the store did not keep its size from one ./xferctl command to the next"

t test_cli_help_lists_every_command
t test_cli_no_command_is_usage
t test_cli_every_command_has_help
t test_cli_unknown_command_and_option
t test_cli_bad_sizes_refused
t test_cli_status_running
t test_cli_sizes_accepted
t test_cli_info_text_and_json
t test_cli_write_read_every_path
t test_cli_read_defaults_and_end
t test_cli_load_dump_round_trip
t test_cli_large_write_from_a_pipe
t test_cli_errors_for_missing_files
t test_cli_zero_remove_resize
t test_cli_resize_past_limit
t test_cli_stats_table_and_json
t test_cli_trace
t test_cli_bench
t test_cli_watch_until_ctrl_c
t test_cli_watch_changes_and_stopped_driver
t test_cli_text_output_has_unix_line_ends
t test_cli_disk_full_reports_what_was_stored
t test_cli_stopped_driver
t test_cli_uninstalled_driver
t test_cli_dump_keeps_the_file_until_it_is_whole
t test_cli_install_force_checks_the_new_driver_first
t test_cli_reader_gone
t test_cli_trace_follow_reader_gone
t test_cli_bench_stays_in_its_window
t test_cli_short_input_said
t test_cli_stop_with_handles_open
t test_cli_exec
t test_cli_report_messages
t test_cli_missing_api_said
t test_cli_environment_failures_exit_1
t test_cli_crashed_driver_host
t test_cli_shutdown_clean

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
