# SPDX-License-Identifier: MIT
# Sourced by scripts/setup-deps (and its test): how xfer installs what it
# needs from Debian's packages, on mirrors as they really are.
#
# What real mirrors do, and what each function here does about it:
# - `apt-get update` fails for one index (a mirror mid-sync: "File has
#   unexpected size ... Mirror sync in progress?") and exits 100 although
#   every other list was fetched: say so, and install from what was fetched.
# - With one architecture's list of a suite missing, apt takes amd64
#   packages from one suite and their i386 twins from another, which cannot
#   be installed together ("held broken packages"): retry with every
#   candidate taken from the release's own suite (APT::Default-Release).
# - A network hiccup: one more round after a pause, lists fetched anew.
# - The 32-bit Wine cannot be had at all: install everything for x64, and
#   leave a note that the x86 suites read (scripts/runs-here) to skip
#   themselves with the reason.
#
# Expects $XFER_SETUP_STATE: the folder of that note (under the build tree).

# The Debian release whose suite a retry takes every candidate from.
xfer_setup_release() {
  if [ -n "${XFER_DEBIAN_RELEASE-}" ]; then echo "$XFER_DEBIAN_RELEASE"; return; fi
  (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-stable}") || echo stable
}

# The note left when the 32-bit Wine could not be installed.
xfer_setup_wine32_note() { echo "$XFER_SETUP_STATE/wine32-unavailable"; }

# Why the 32-bit Wine is not here, when the setup tried and could not
# install it; nothing otherwise.
xfer_setup_wine32_unavailable() {
  local note
  note=$(xfer_setup_wine32_note)
  [ -f "$note" ] && cat "$note"
  return 0
}

# apt-get with the options every call here shares: no questions, wait for
# another apt or dpkg (a second build installing at the same time) instead
# of failing on its lock.
xfer_apt() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

# The first error line apt printed in $1 (a log), for a one-line report.
xfer_apt_first_error() {
  grep -m1 -E '^(E|Err):' "$1" 2>/dev/null | cut -c1-300 || true
}

# Fetches the package lists, twice at most. A list that still cannot be
# fetched is reported, not fatal: the install that follows decides.
xfer_apt_update() {
  local log try
  log=$(mktemp)
  for try in 1 2; do
    if xfer_apt update -qq >"$log" 2>&1; then rm -f "$log"; return 0; fi
    [ "$try" = 2 ] || sleep "${XFER_SETUP_PAUSE:-5}"
  done
  echo "xfer: some of Debian's package lists could not be fetched (a mirror may be mid-sync):" >&2
  echo "xfer:   $(xfer_apt_first_error "$log")" >&2
  echo "xfer: installing from the lists that were fetched." >&2
  rm -f "$log"
  return 0
}

# Installs packages $@ in up to two rounds of two tries: as apt chooses,
# then with every candidate from the release's suite. Between the rounds,
# a pause and fresh lists. Returns 1 when all failed; the last apt output
# is then in $XFER_APT_LOG.
xfer_apt_install() {
  local release round
  release=$(xfer_setup_release)
  for round in 1 2; do
    if xfer_apt install -y -qq --no-install-recommends "$@" >"$XFER_APT_LOG" 2>&1; then
      return 0
    fi
    echo "xfer: apt-get could not install them as it chose ($(xfer_apt_first_error "$XFER_APT_LOG"));" \
         "retrying with every package taken from $release." >&2
    if xfer_apt install -y -qq --no-install-recommends -o "APT::Default-Release=$release" "$@" \
         >"$XFER_APT_LOG" 2>&1; then
      return 0
    fi
    [ "$round" = 2 ] && break
    echo "xfer: that failed too ($(xfer_apt_first_error "$XFER_APT_LOG")); trying once more with fresh lists." >&2
    sleep "${XFER_SETUP_PAUSE:-5}"
    xfer_apt_update
  done
  return 1
}

# Installs the missing packages $@. The 32-bit Wine ("wine32:i386") is
# the one part the project can do without: when it alone cannot be
# installed, everything else is, and a note says why x86 is skipped.
# Exits the script with one sentence when the rest cannot be installed.
xfer_setup_install() {
  local pkg rest=() wants_i386=0 note
  export XFER_APT_LOG
  XFER_APT_LOG=$(mktemp)
  note=$(xfer_setup_wine32_note)
  for pkg in "$@"; do
    case $pkg in
      *:i386)
        if [ -f "$note" ]; then
          echo "xfer: not trying $pkg again: $(cat "$note") ('make clean' tries again)." >&2
          continue
        fi
        wants_i386=1 ;;
    esac
    rest+=("$pkg")
  done
  [ ${#rest[@]} -gt 0 ] || { rm -f "$XFER_APT_LOG"; return 0; }

  echo "xfer: installing ${rest[*]} from Debian's packages..." >&2
  if [ $wants_i386 = 1 ] && ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386
  fi
  xfer_apt_update
  if xfer_apt_install "${rest[@]}"; then rm -f "$XFER_APT_LOG"; return 0; fi

  if [ $wants_i386 = 1 ]; then
    local x64=()
    for pkg in "${rest[@]}"; do case $pkg in *:i386) ;; *) x64+=("$pkg") ;; esac; done
    local why
    why="the 32-bit Wine (wine32:i386) could not be installed from Debian's packages ($(xfer_apt_first_error "$XFER_APT_LOG"))"
    echo "xfer: $why; installing the rest without it." >&2
    if [ ${#x64[@]} = 0 ] || xfer_apt_install "${x64[@]}"; then
      mkdir -p "$XFER_SETUP_STATE"
      echo "$why" >"$note"
      echo "xfer: everything for x64 is installed; the x86 suites will be skipped, saying why." >&2
      rm -f "$XFER_APT_LOG"
      return 0
    fi
  fi
  echo "xfer: could not install ${rest[*]} from Debian's packages: $(xfer_apt_first_error "$XFER_APT_LOG")" >&2
  rm -f "$XFER_APT_LOG"
  return 1
}
