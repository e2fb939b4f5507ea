#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The setup's way through real mirrors, without the network: the install
# logic of scripts/setup-lib.sh runs against a fake apt-get and dpkg on the
# PATH, which fail as mirrors were seen to fail, and each case checks the
# apt-get calls made, what the setup said, its exit status and the note
# that makes the x86 suites skip. Ends with "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# The fake apt-get: each call is logged; its answer is the next line of
# $work/script ("ok", "fail-update", "fail-broken", "fail-net",
# "fail-i386"), or "ok" when the script is used up. "fail-i386" fails an
# install that names an :i386 package and succeeds otherwise.
mkdir -p "$work/bin"
cat >"$work/bin/apt-get" <<'EOF'
#!/usr/bin/env bash
echo "apt-get $*" >>"$FAKE_DIR/calls"
answer=$(head -n 1 "$FAKE_DIR/script" 2>/dev/null); sed -i 1d "$FAKE_DIR/script" 2>/dev/null
case ${answer:-ok} in
  ok) exit 0 ;;
  fail-update)
    echo "E: Failed to fetch http://mirror/dists/bookworm-security/main/binary-i386/Packages.xz  File has unexpected size (371952 != 372316). Mirror sync in progress?"
    echo "E: Some index files failed to download. They have been ignored, or old ones used instead."
    exit 100 ;;
  fail-broken)
    echo " wine32:i386 : Depends: liblzma5:i386 but it is not going to be installed"
    echo "E: Unable to correct problems, you have held broken packages."
    exit 100 ;;
  fail-net)
    echo "Err:1 http://mirror bookworm/main amd64 clang Temporary failure resolving 'mirror'"
    echo "E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?"
    exit 100 ;;
  fail-i386)
    case " $* " in *:i386\ *)
      echo "E: Unable to correct problems, you have held broken packages."; exit 100 ;; esac
    exit 0 ;;
esac
EOF
cat >"$work/bin/dpkg" <<'EOF'
#!/usr/bin/env bash
echo "dpkg $*" >>"$FAKE_DIR/calls"
case $1 in --print-foreign-architectures) [ -f "$FAKE_DIR/has-i386" ] && echo i386 ;; esac
exit 0
EOF
chmod +x "$work/bin/apt-get" "$work/bin/dpkg"

# setup CASE ANSWERS... PACKAGES: runs the install of PACKAGES (after
# "--") with apt-get answering ANSWERS in turn; leaves $rc, $said (stderr)
# and $calls (the apt-get and dpkg calls, one a line).
setup() {
  local name=$1; shift
  export FAKE_DIR=$work/$name
  mkdir -p "$FAKE_DIR"
  : >"$FAKE_DIR/calls"; : >"$FAKE_DIR/script"
  while [ "$1" != -- ]; do echo "$1" >>"$FAKE_DIR/script"; shift; done
  shift
  said=$(PATH=$work/bin:$PATH XFER_SETUP_STATE=$FAKE_DIR/state XFER_SETUP_PAUSE=0 \
         XFER_DEBIAN_RELEASE=bookworm bash -c '. "$1/scripts/setup-lib.sh"; shift; xfer_setup_install "$@"' \
         sh "$top" "$@" 2>&1)
  rc=$?
  calls=$(grep '^apt-get' "$FAKE_DIR/calls" | sed 's/ -o DPkg::Lock::Timeout=600//; s/ -y -qq --no-install-recommends//')
}

check() {  # NAME CONDITION-DESCRIPTION: counts the case by $ok
  if [ "$ok" = 1 ]; then passed=$((passed + 1)); echo "PASS $1"
  else failed=$((failed + 1)); echo "FAIL $1: $2"; echo "  said: $said" | head -20; echo "  calls: $calls"; fi
}
has() { case $1 in *"$2"*) return 0 ;; esac; return 1; }
expect_calls() { [ "$calls" = "$(printf '%s\n' "$@")" ]; }

# 1. The failure seen on a new machine: one index missing (update exits
#    100, twice), the first install refused for mixed suites, the install
#    with candidates from one suite succeeds.
setup mirror_mid_sync fail-update fail-update fail-broken ok -- clang wine32:i386
ok=0
expect_calls "apt-get update -qq" "apt-get update -qq" \
             "apt-get install clang wine32:i386" \
             "apt-get install -o APT::Default-Release=bookworm clang wine32:i386" &&
  [ $rc = 0 ] && has "$said" "could not be fetched" && has "$said" "Mirror sync in progress" &&
  has "$said" "retrying with every package taken from bookworm" &&
  [ ! -e "$FAKE_DIR/state/wine32-unavailable" ] && grep -q 'dpkg --add-architecture i386' "$FAKE_DIR/calls" && ok=1
check setup_installs_after_a_partial_update_and_mixed_suites "expected update x2, install, install from bookworm, exit 0"

# 2. The 32-bit Wine cannot be had at all: everything else is installed,
#    the setup succeeds, and the note says why for the x86 suites.
setup no_wine32 ok fail-i386 fail-i386 ok fail-i386 fail-i386 ok -- clang wine64 wine32:i386
ok=0
note=$FAKE_DIR/state/wine32-unavailable
[ $rc = 0 ] && [ -f "$note" ] && has "$(cat "$note")" "wine32:i386" &&
  has "$said" "x86 suites will be skipped" &&
  [ "$(echo "$calls" | tail -n 1)" = "apt-get install clang wine64" ] && ok=1
check setup_installs_x64_when_wine32_cannot_be_had "expected the last install without wine32 and the note"

# 2b. That note is what scripts/runs-here reads: the function returns it.
ok=0
got=$(XFER_SETUP_STATE=$FAKE_DIR/state bash -c '. "$1/scripts/setup-lib.sh"; xfer_setup_wine32_unavailable' sh "$top")
has "$got" "could not be installed" && ok=1
check setup_note_is_the_x86_skip_reason "xfer_setup_wine32_unavailable said '$got'"

# 2c. With the note there, a later setup does not try the 32-bit Wine again.
mkdir -p "$work/retry/state"; cp "$note" "$work/retry/state/"
export FAKE_DIR=$work/retry; : >"$FAKE_DIR/calls"; : >"$FAKE_DIR/script"
said=$(PATH=$work/bin:$PATH XFER_SETUP_STATE=$FAKE_DIR/state XFER_SETUP_PAUSE=0 \
       bash -c '. "$1/scripts/setup-lib.sh"; xfer_setup_install clang wine32:i386' sh "$top" 2>&1)
rc=$?; calls=$(grep '^apt-get' "$FAKE_DIR/calls" | sed 's/ -o DPkg::Lock::Timeout=600//; s/ -y -qq --no-install-recommends//' | grep '^apt-get install')
ok=0; [ $rc = 0 ] && [ "$calls" = "apt-get install clang" ] && ok=1
check setup_does_not_retry_wine32_after_its_note "expected one install of clang alone"

# 3. A transient failure: both tries of the first round fail on the
#    network, the second round (after fresh lists) succeeds.
setup transient ok fail-net fail-net ok ok -- clang
ok=0
expect_calls "apt-get update -qq" "apt-get install clang" \
             "apt-get install -o APT::Default-Release=bookworm clang" \
             "apt-get update -qq" "apt-get install clang" && [ $rc = 0 ] &&
  has "$said" "trying once more with fresh lists" && ok=1
check setup_retries_a_transient_failure "expected a second round after fresh lists"

# 4. Nothing can be installed: exit 1 with one clear sentence naming the
#    packages and apt's own error, and no note.
setup nothing ok fail-broken fail-broken ok fail-broken fail-broken fail-broken fail-broken fail-broken fail-broken -- clang lld
ok=0
[ $rc = 1 ] && has "$said" "xfer: could not install clang lld from Debian's packages: E: Unable to correct problems" &&
  [ ! -e "$FAKE_DIR/state/wine32-unavailable" ] && ok=1
check setup_fails_with_one_sentence_when_nothing_installs "expected exit 1 and the sentence"

# 5. Nothing missing: the real script, with every check met, is quiet.
#    (Only where the setup has already run: the machine that runs this.)
ok=0
out=$(PATH=$work/bin:$PATH FAKE_DIR=$work "$top/scripts/setup-deps" 2>&1); rc=$?
[ $rc = 0 ] && [ -z "$out" ] && ok=1
said=$out calls=""
check setup_is_quiet_when_everything_is_there "exit $rc"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
