#!/usr/bin/env bash
# Install figures for docs/performance.md, as a new machine gets them: fresh venvs, no pip cache.
#   plain install (to watch real pipelines): size of the venv and time of `pip install .`
#   demo install (`.[demo]`): size of the venv
#   clone -> first screen of `pipeline-tui --demo`: git clone + venv + `pip install -e '.[demo]'` + launch, until
#   the wizard's first screen shows in an 80x24 tmux pane
# Usage: scripts/install-figures.sh   (needs tmux; prints a Markdown table)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/install-figures.XXXXXX)
trap 'tmux kill-session -t install-figures 2>/dev/null || true; rm -rf "$work"' EXIT
export PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
base=$( (python3 -m venv "$work/empty" && du -sm "$work/empty") | cut -f1)

now() { date +%s.%N; }
mb() { du -sm "$1" | cut -f1; }

python3 -m venv "$work/plain"
t0=$(now)
"$work/plain/bin/pip" install -q "$repo" 2>/dev/null
plain_s=$(echo "$(now) - $t0" | bc)
plain_mb=$(( $(mb "$work/plain") - base ))

python3 -m venv "$work/demo"
t0=$(now)
"$work/demo/bin/pip" install -q "$repo[demo]" 2>/dev/null
demo_s=$(echo "$(now) - $t0" | bc)
demo_mb=$(( $(mb "$work/demo") - base ))

t0=$(now)
git clone -q "$repo" "$work/clone"
python3 -m venv "$work/clone/.venv"
(cd "$work/clone" && .venv/bin/pip install -q -e '.[demo]' 2>/dev/null)
tmux new -d -s install-figures -x 80 -y 24 "cd $work/clone && .venv/bin/pipeline-tui --demo"
until tmux capture-pane -p -t install-figures 2>/dev/null | grep -q "GitHub token"; do sleep 0.1; done
first_s=$(echo "$(now) - $t0" | bc)

printf '| Measure | Budget | Figure |\n|---|---|---|\n'
printf '| plain install (`pip install .`), venv size over an empty venv | <= 80 MB | %s MB |\n' "$plain_mb"
printf '| plain install time, no pip cache | <= 40 s | %.1f s |\n' "$plain_s"
printf '| demo install (`pip install ".[demo]"`), venv size over an empty venv | <= 150 MB | %s MB |\n' "$demo_mb"
printf '| demo install time, no pip cache | (info) | %.1f s |\n' "$demo_s"
printf '| clone -> venv -> install -> first `pipeline-tui --demo` screen | <= 60 s | %.1f s |\n' "$first_s"
