# Helpers shared by the terminal-UI tests (tui_gallery.sh, tui_asa.sh),
# sourced after they set SOCK: a private tmux server `$T`, checks that
# print ok/FAIL (a failure shows the screen), waiting for text on the
# screen, sending keys.
T="tmux -L $SOCK"
trap '$T kill-server 2>/dev/null' EXIT INT TERM
fail=0
ok() { echo "ok   $1"; }
no() { echo "FAIL $1"; $T capture-pane -p -t ui 2>/dev/null | sed 's/^/  | /'; fail=1; }
screen() { $T capture-pane -p -t ui 2>/dev/null; }
wait_for() { # text, seconds
  i=0
  while [ $i -lt $(($2 * 10)) ]; do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1; i=$((i + 1))
  done
  return 1
}
keys() { $T send-keys -t ui "$@"; sleep 0.3; }
