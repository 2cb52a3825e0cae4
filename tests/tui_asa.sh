#!/bin/sh
# `canns asa` driven through a pseudo-terminal (a private tmux server,
# 120 x 40, UTF-8, 256 colours): the screen lists the sessions of the
# working folder and the runner's parameters; a session is chosen, TDA
# parameters are edited to a small size, `r` runs the chain with its
# progress bar and log, the figures appear under
# <workdir>/Results/<session>_<hash>/ and in the Figures pane; `v` draws
# one in the terminal; `o` without a display prints its path; a second
# run reuses every cached stage; a bad value gives its error in the log
# and the UI goes on; `q` quits with status 0.  Exits 77 (skipped) without
# tmux.  (ncurses keeps its allocations until the process ends: the leak
# check is off for this one program.)
# usage: tui_asa.sh CANNS BUILD_DIR
set -u
CANNS=$1 BUILD=$2
command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }
OUT=$BUILD/test-out/tui_asa
rm -rf "$OUT" && mkdir -p "$OUT/work"
cat > "$OUT/session.lua" <<'LUA'
local canns = require "canns"
canns.pipeline.asa.save_asa_npz(arg[1] .. "/grid.npz",
  canns.analyzer.data.asa.synthetic_grid_session{T = 6000, n_side = 6, seed = 1})
-- the same session as upstream's Neuron + Traj pair of files
local z = canns.io.load_npz(arg[1] .. "/grid.npz")
canns.io.save_npz(arg[1] .. "/neurons.npz", {spike = z.spike, spike_counts = z.spike_counts})
canns.io.save_npz(arg[1] .. "/traj.npz", {t = z.t, x = z.x, y = z.y})
LUA
"$CANNS" "$OUT/session.lua" "$OUT/work" || exit 1
SOCK=canns-tui-asa-$$
. "$(dirname "$0")/tui_lib.sh"
down() { n=$1; while [ "$n" -gt 0 ]; do $T send-keys -t ui Down; n=$((n - 1)); done; sleep 0.3; }
set_value() { keys Enter; $T send-keys -t ui C-h C-h C-h C-h C-h C-h C-h C-h; keys "$1" Enter; }

$T -f /dev/null new-session -d -s ui -x 120 -y 40 \
  "cd '$OUT/work' && env -u DISPLAY -u WAYLAND_DISPLAY LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color CANNS_PROGRESS=0 ASAN_OPTIONS=detect_leaks=0 '$CANNS' asa; echo \"exit status \$?\"; sleep 30"
wait_for "Attractor Structure Analyzer (ASA)" 20 && ok "the UI starts" || no "the UI starts"
screen | grep -q "grid.npz" && ok "the session is listed" || no "session listed"
screen | grep -Eq "preprocess.method +embed_spike_trains" && screen | grep -Eq "preset +grid" \
  && ok "parameters shown" || no "parameters"

# r before choosing a file: an error in the log
keys r
wait_for "Choose an input file first" 10 && ok "no input: told so" || no "no input"
keys Enter
wait_for "Input: grid.npz" 10 && ok "the session chosen" || no "choose session"

# parameters: tda.active_times (10th), k (14th), n_points (17th), nbs (18th)
keys Tab
down 9;  set_value 1000
down 4;  set_value 100
down 3;  set_value 150
down 1;  set_value 100
screen | grep -Eq "tda.n_points +150" && ok "parameters edited" || no "edit parameters"
keys r
wait_for "figures in" 120 && ok "the run completes" || no "run"
RES=$(ls -d "$OUT"/work/Results/grid_* 2>/dev/null | head -1)
[ -s "$RES/TDA/barcode.png" ] && [ -s "$RES/CohoMap/cohomap.png" ] && [ -s "$RES/FR/fr_heatmap.png" ] \
  && [ -s "$RES/config.json" ] && ok "figures and config.json under Results/grid_<hash>" || no "figures in $RES"
screen | grep -q "100%" && screen | grep -q "complete" && ok "progress bar at 100%, complete" || no "progress"
screen | grep -q "cohomap" && screen | grep -q "path_compare" && ok "figures listed" || no "figures listed"
grep -q '"n_points": 150' "$RES/config.json" && ok "the edited value saved" || no "config.json value"

# the chosen figure (the first: barcode) in the terminal, then opened
keys Tab
keys v
wait_for "any key: back" 20 && ok "viewer shown" || no "viewer"
blocks=$(screen | grep -o "▀" | wc -l)
[ "$blocks" -gt 500 ] && ok "figure drawn with $blocks half blocks" || no "half blocks: $blocks"
keys Space
wait_for "Parameters" 10 && ok "back from the viewer" || no "back from the viewer"
keys o
wait_for "No display or xdg-open: the figure is" 10 && ok "o without a display prints the path" || no "open"

# a second run: every stage from its cache
keys r
wait_for "Using cached cohomap." 60 && ok "a second run reuses the caches" || no "cached run"

# the Neuron + Traj input mode: two files, a run of its own
keys m
wait_for "Input: Neuron + Traj" 10 && ok "m switches to Neuron + Traj" || no "input mode"
keys Tab
keys r
wait_for "Choose the neuron file, then the trajectory file" 10 && ok "no files: told so" || no "nt no files"
down 1; keys Enter
wait_for "Neuron file: neurons.npz" 10 && ok "the neuron file chosen" || no "neuron file"
down 1; keys Enter
wait_for "Trajectory file: traj.npz" 10 && ok "the trajectory file chosen" || no "traj file"
keys r
wait_for "Results/neurons_traj_" 120 && ok "the Neuron + Traj run completes" || no "nt run"
NT=$(ls -d "$OUT"/work/Results/neurons_traj_* 2>/dev/null | head -1)
[ -s "$NT/CohoMap/cohomap.png" ] && grep -q '"input_mode": "neuron_traj"' "$NT/config.json" \
  && ok "its figures and config under Results/neurons_traj_<hash>" || no "nt figures in $NT"
keys m
wait_for "Input mode: ASA file" 10 && ok "m switches back" || no "mode back"
keys Tab Tab

# a bad value: its error, the UI goes on
keys Tab Tab
keys Up
set_value x
keys r
wait_for "must be a number" 20 && ok "a bad value's error shown" || no "bad value"
screen | grep -q "Attractor Structure Analyzer" && ok "the UI survives the error" || no "UI after the error"
keys q
wait_for "exit status 0" 10 && ok "q quits with status 0" || no "quit"
exit $fail
