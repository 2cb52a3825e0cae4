#!/bin/sh
# `canns gallery` driven through a pseudo-terminal (a private tmux server,
# 120 x 40, UTF-8, 256 colours): the screen lists the models, analyses and
# upstream's default parameters; a parameter is edited; `r` runs the
# analysis and its figure appears under <workdir>/Results/gallery/<model>;
# `v` draws it in the terminal with half-block characters; a bad parameter
# gives its error in the log and the UI goes on; `q` quits with status 0.
# Exits 77 (skipped) without tmux.  (ncurses keeps its allocations until
# the process ends: the leak check is off for this one program.)
# usage: tui_gallery.sh CANNS BUILD_DIR
set -u
CANNS=$1 BUILD=$2
command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }
OUT=$BUILD/test-out/tui_gallery
rm -rf "$OUT" && mkdir -p "$OUT"
SOCK=canns-tui-$$
. "$(dirname "$0")/tui_lib.sh"

$T -f /dev/null new-session -d -s ui -x 120 -y 40 \
  "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color CANNS_PROGRESS=0 ASAN_OPTIONS=detect_leaks=0 '$CANNS' gallery '$OUT/work'; echo \"exit status \$?\"; sleep 30"
wait_for "canns gallery" 20 && ok "the UI starts" || no "the UI starts"
screen | grep -q "CANN1D" && screen | grep -q "CANN2D" && ok "models listed" || no "models listed"
screen | grep -q "Connectivity Matrix" && ok "analyses listed" || no "analyses listed"
screen | grep -Eq "num +256" && screen | grep -Eq "J0 +4.0" && ok "upstream's defaults shown" || no "defaults"

# Parameters pane, down to 'num', set it to 48, run the connectivity matrix
keys Tab Tab Down
keys Enter BSpace BSpace BSpace 4 8 Enter
screen | grep -Eq "num +48" && ok "a parameter edited" || no "edit num"
keys r
PNG=$OUT/work/Results/gallery/cann1d/cann1d_connectivity_seed42.png
wait_for "Completed in" 60 && ok "the run completes" || no "run"
[ -s "$PNG" ] && ok "figure written under Results/gallery/cann1d" || no "figure at $PNG"
screen | grep -qF "cann1d_connectivity_seed42.png" && ok "log names the figure" || no "log names the figure"

# the figure in the terminal
keys v
wait_for "any key: back" 20 && ok "viewer shown" || no "viewer"
blocks=$(screen | grep -o "▀" | wc -l)
[ "$blocks" -gt 500 ] && ok "figure drawn with $blocks half blocks" || no "half blocks: $blocks"
keys Space
wait_for "Parameters (CANN1D)" 10 && ok "back from the viewer" || no "back from the viewer"

# a bad value: the error in the log, the UI goes on
keys Enter BSpace BSpace x Enter r
wait_for "must be" 30 && ok "a bad parameter's error shown" || no "bad parameter"
screen | grep -q "canns gallery" && ok "the UI survives the error" || no "UI after the error"

# a second model: CANN2D's list of analyses
keys BTab BTab Down Tab
screen | grep -q "Trajectory Comparison" && ok "CANN2D's analyses" || no "CANN2D analyses"
keys q
wait_for "exit status 0" 10 && ok "q quits with status 0" || no "quit"
exit $fail
