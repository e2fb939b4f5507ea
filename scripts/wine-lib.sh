# SPDX-License-Identifier: MIT
# Sourced by scripts/wine-run and ./xferctl: the mechanics of a private
# Wine session that loads xfer.sys. Expects $top (the repository root) and
# $build (an absolute build directory) to be set.

WINESERVER=/usr/lib/wine/wineserver
XFER_SERVICE=xfer
XFER_TEMPLATE_VERSION=1   # bump when the template's making changes

export WINEDLLOVERRIDES="mscoree,mshtml=" WINEDEBUG=-all
unset DISPLAY WAYLAND_DISPLAY

# xfer_wine_arch x64|x86: the Wine that runs that architecture's build.
# A 32-bit driver needs a 32-bit driver host: in a 64-bit prefix Wine loads
# every kernel driver into the 64-bit winedevice.exe, which refuses a
# 32-bit image (ZwLoadDriver fails with 0xc0000142). So x86 runs in a
# 32-bit prefix of its own, with the 32-bit loader (Debian's wine32).
xfer_wine_arch() {
  case $1 in
    x64) WINE=/usr/lib/wine/wine64; export WINEARCH=win64; XFER_TEMPLATE=$build/wine/template ;;
    x86) WINE=/usr/lib/wine/wine; export WINEARCH=win32; XFER_TEMPLATE=$build/wine/template-x86 ;;
    *) echo "xfer: unknown architecture $1 (x64 or x86)" >&2; return 2 ;;
  esac
}
xfer_wine_arch x64

xfer_wine_check() {
  local why
  [ -x "$WINE" ] || { echo "xfer: $WINE is missing: run 'make deps'" >&2; return 2; }
  [ "$WINEARCH" != win32 ] || [ -d /usr/lib/i386-linux-gnu/wine/i386-windows ] ||
    { echo "xfer: 32-bit Wine (Debian's wine32) is missing: run 'make deps'" >&2; return 2; }
  # Only the 32-bit Wine can be refused by an x86-64 kernel; the check
  # costs a process start, so the 64-bit one (every ./xferctl command)
  # skips it.
  [ "$WINEARCH" != win32 ] && return 0
  why=$(xfer_wine_unrunnable)
  [ -z "$why" ] || { echo "xfer: $why" >&2; return 2; }
}

# Why the chosen Wine cannot start on this machine; nothing when it can.
# The 32-bit Wine needs the kernel's IA-32 emulation, which a kernel may be
# built without or boot with switched off (ia32_emulation=off): executing
# its loader then fails with "Exec format error" (status 126).
xfer_wine_unrunnable() {
  local rc=0
  "$WINE" --version >/dev/null 2>&1 </dev/null || rc=$?
  case $rc in
    0) ;;
    126) echo "this kernel cannot execute $WINE (for the 32-bit Wine: its IA-32 emulation is off)" ;;
    *) echo "$WINE --version exited $rc" ;;
  esac
}

# The template prefix: `wineboot` once (about 10 s), then reused by every
# session through hard links. Made under a lock, so concurrent callers wait
# for one another instead of racing.
xfer_wine_template() {
  local template=$XFER_TEMPLATE stamp new
  stamp="$XFER_TEMPLATE_VERSION $("$WINE" --version 2>/dev/null)"
  mkdir -p "$build/wine"
  (
    flock 9
    if [ "$(cat "$template/.xfer-template" 2>/dev/null)" != "$stamp" ]; then
      new=$(mktemp -d "$build/wine/template.new.XXXXXX")
      WINEPREFIX=$new/pfx "$WINE" wineboot -i >"$new/boot.log" 2>&1 </dev/null
      WINEPREFIX=$new/pfx "$WINESERVER" -w
      echo "$stamp" >"$new/pfx/.xfer-template"
      rm -rf "$template"
      mv "$new/pfx" "$template"
      rm -rf "$new"
    fi
  ) 9>"$template.lock"
}

# A private prefix at $1, copied from the template. Program files (DLLs,
# EXEs, fonts) are shared through hard links: Wine never writes them.
# Everything else (registry, ini files) is copied, so that nothing a
# session writes can reach the template.
xfer_wine_clone() {
  cp -al "$XFER_TEMPLATE" "$1"
  find "$1" -type f ! \( -iname '*.dll' -o -iname '*.exe' -o -iname '*.drv' \
       -o -iname '*.sys' -o -iname '*.ocx' -o -iname '*.cpl' -o -iname '*.acm' \
       -o -iname '*.tlb' -o -iname '*.msstyles' -o -iname '*.nls' -o -iname '*.ttf' \) \
       -exec sh -c 'for f; do cp --remove-destination -p "$f" "$f.tmp" && mv -f "$f.tmp" "$f"; done' sh {} +
}

# Starts the prefix's wineserver for good (-p: it outlives its clients) and
# installs the driver service from $1. The first wine process of a session
# starts services.exe and, through it, the driver host: they inherit that
# command's WINEDEBUG and stderr, which is how the driver's DbgPrintEx lines
# (channel warn+debugstr) reach $2. Nothing here goes through a pipe:
# services would inherit it and keep it open.
xfer_wine_session_start() {
  local driver=$1 driver_log=$2 other_log=$3
  xfer_wine_session_boot "$driver_log" "$other_log" || return 1
  WINEDEBUG=-all,err+all,warn+debugstr \
    xfer_wine_install_driver "$XFER_SERVICE" "$driver" "$other_log" 2>>"$driver_log"
}

# Starts the prefix's wineserver for good and the session's first process,
# which brings up services.exe (and through it the driver hosts) with the
# driver log's WINEDEBUG and stderr ($1; the server's output goes to $2).
# Wine's boot has been seen to fail on a loaded machine (wineboot: "ws2_32.dll
# failed to initialize", c0000142), leaving no service control manager:
# every later call fails with RPC_S_SERVER_UNAVAILABLE. A service created
# and deleted again tells that the manager answers; if it does not, the
# session is ended and started again, up to three times. No driver is
# loaded yet: nothing of ours is retried.
xfer_wine_session_boot() {
  local driver_log=$1 other_log=$2 try
  for try in 1 2 3; do
    "$WINESERVER" -p >>"$other_log" 2>&1 </dev/null
    if WINEDEBUG=-all,err+all,warn+debugstr timeout -k 5 120 "$WINE" sc create xfer-boot \
         binPath= 'C:\windows\system32\drivers\xfer-boot.sys' type= kernel start= demand \
         >>"$other_log" 2>>"$driver_log" </dev/null; then
      timeout -k 5 60 "$WINE" sc delete xfer-boot >>"$other_log" 2>&1 </dev/null || true
      return 0
    fi
    echo "xfer: Wine's service manager did not come up (try $try of 3)" >&2
    xfer_wine_session_end
  done
  return 1
}

# Installs the kernel service $1 (demand start) for the driver file $2,
# copied into the prefix as drivers\$1.sys; sc's output goes to $3.
xfer_wine_install_driver() {
  local name=$1 driver=$2 log=$3
  timeout -k 5 60 "$WINE" sc create "$name" \
    binPath= "C:\\windows\\system32\\drivers\\$name.sys" type= kernel start= demand \
    >>"$log" </dev/null || true
  cp --remove-destination "$driver" "$WINEPREFIX/drive_c/windows/system32/drivers/$name.sys"
}

# Removes a session's prefix ($1). The prefix's wineserver writes the
# registry back as it exits, so a removal racing it can find the folder
# refilled ("Directory not empty"): wait for the server, then retry.
xfer_wine_remove_prefix() {
  local i
  [ -d "$1" ] || return 0
  WINEPREFIX=$1 "$WINESERVER" -w >/dev/null 2>&1 || true
  for i in 1 2 3 4 5 6 7 8 9 10; do
    rm -rf "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  rm -rf "$1"
}

xfer_wine_session_end() {
  "$WINESERVER" -k >/dev/null 2>&1 || true
  "$WINESERVER" -w >/dev/null 2>&1 || true
}

# Whether the prefix's wineserver is alive. Wine names its server directory
# after the prefix's device and inode, and a running wineserver works from
# inside it. (Where that directory lives differs between Wine builds, and
# its socket is bound to a relative name, so neither path nor /proc/net/unix
# can tell.)
xfer_wineserver_alive() {
  local dev ino pid
  read -r dev ino < <(stat -c '%d %i' "$WINEPREFIX" 2>/dev/null) || return 1
  for pid in $(pgrep -u "$(id -u)" '^wineserver'); do
    case $(readlink "/proc/$pid/cwd" 2>/dev/null) in
      */server-$(printf %x "$dev")-$(printf %x "$ino")) return 0 ;;
    esac
  done
  return 1
}

xfer_service_state() {   # xfer_service_state [SERVICE]
  timeout -k 5 60 "$WINE" sc query "${1:-$XFER_SERVICE}" 2>/dev/null </dev/null |
    sed -n 's/.*STATE *: *[0-9]* *\([A-Z_]*\).*/\1/p'
}

xfer_wait_state() {   # xfer_wait_state WANTED [SERVICE]: up to ~10 s
  local i
  for i in $(seq 1 50); do
    [ "$(xfer_service_state "${2:-}")" = "$1" ] && return 0
    sleep 0.2
  done
  return 1
}

# Lines of a driver log that fail a run: a crash in the driver host, a call
# of an unimplemented function, or memory the driver did not free.
xfer_driver_problems() {
  grep -E 'Unhandled exception|Unhandled page fault|unimplemented function|LEAK:' "$1" || true
}
