#!/bin/sh
# `canns tui` driven through a pseudo-terminal (a private tmux server,
# 100 x 30): the card and its three buttons are shown; Down + Enter starts
# the model gallery, whose `q` ends the program with status 0; `a` starts
# the ASA UI; Up wraps to Quit, and Enter on it exits with status 0
# without starting anything.  Exits 77 (skipped) without tmux.  (ncurses
# keeps its allocations until the process ends: the leak check is off.)
# usage: tui_launcher.sh CANNS BUILD_DIR
set -u
CANNS=$1 BUILD=$2
command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }
OUT=$BUILD/test-out/tui_launcher
rm -rf "$OUT" && mkdir -p "$OUT"
SOCK=canns-launcher-$$
. "$(dirname "$0")/tui_lib.sh"

start() {
  $T -f /dev/null new-session -d -s ui -x 100 -y 30 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color CANNS_PROGRESS=0 ASAN_OPTIONS=detect_leaks=0 '$CANNS' tui '$OUT/work'; echo \"exit status \$?\"; sleep 30"
}
start
wait_for "Choose a workflow" 20 && ok "the card is shown" || no "the card"
screen | grep -qF "[ ASA (Attractor Structure Analyzer) ]" && screen | grep -qF "[ Model Gallery ]" &&
  screen | grep -qF "[ Quit ]" && ok "three buttons" || no "buttons"
screen | grep -qF "> [ ASA" && ok "ASA highlighted first" || no "first highlight"
keys Down Enter
wait_for "canns gallery" 20 && ok "Down + Enter starts the gallery" || no "gallery started"
screen | grep -qF "workdir: $OUT/work" && ok "the workdir is handed on" || no "workdir"
keys q
wait_for "exit status 0" 10 && ok "quitting the gallery ends with status 0" || no "exit after gallery"
$T kill-session -t ui 2>/dev/null

start
wait_for "Choose a workflow" 20 || no "the card (2)"
keys a
wait_for "Attractor Structure Analyzer (ASA)" 20 && ok "'a' starts the ASA UI" || no "asa started"
keys q
wait_for "exit status 0" 10 && ok "quitting the ASA UI ends with status 0" || no "exit after asa"
$T kill-session -t ui 2>/dev/null

start
wait_for "Choose a workflow" 20 || no "the card (3)"
keys Up
screen | grep -qF "> [ Quit ]" && ok "Up wraps to Quit" || no "wrap"
keys Enter
wait_for "exit status 0" 10 && ok "Quit exits with status 0" || no "quit"
screen | grep -q "canns gallery\|Analyzer (ASA) " && no "nothing else started" || ok "nothing else started"
exit $fail
