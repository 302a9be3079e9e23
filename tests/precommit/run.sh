#!/usr/bin/env bash
# The pre-commit hook, for real: installs the `pre-commit` tool from PyPI
# into a temporary virtual environment, publishes this repository's
# .pre-commit-hooks.yaml from a hook repository, makes a git repository
# that uses it, and shows the hook passing a clean commit and blocking one
# that adds a Luhn-valid card number, with the number masked in its output.
#
#   tests/precommit/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

cargo build --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
export PATH="$tmp/venv/bin:$root/target/debug:$PATH"
export PRE_COMMIT_HOME="$tmp/cache"
export PIISCAN_FINGERPRINT_KEY=pre-commit-test-key
export XDG_CONFIG_HOME="$tmp/config"
git_() { git -c user.name=test -c user.email=test@example.invalid -c commit.gpgsign=false "$@"; }

# The hook repository: this project's hook definitions, committed.
mkdir "$tmp/hooks"
cp .pre-commit-hooks.yaml "$tmp/hooks/"
git_ -C "$tmp/hooks" init -q
git_ -C "$tmp/hooks" add .pre-commit-hooks.yaml
git_ -C "$tmp/hooks" commit -qm hooks
rev=$(git -C "$tmp/hooks" rev-parse HEAD)

# A project that uses it.
mkdir "$tmp/project"
cd "$tmp/project"
git_ init -q
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $tmp/hooks
    rev: $rev
    hooks:
      - id: piiscan-system
YAML
pre-commit install >/dev/null 2>&1
git_ add .pre-commit-config.yaml
git_ commit -qm "pre-commit config"

fail() { echo "pre-commit test: $*" >&2; exit 1; }

# A clean change passes.
printf 'order,amount\n1001,19.99\n' > orders.csv
git_ add orders.csv
git_ commit -qm "clean orders" > "$tmp/clean.log" 2>&1 || { cat "$tmp/clean.log"; fail "a clean commit was blocked"; }

# A card number (Luhn-valid, synthetic) is blocked, and shown masked.
card=4539148803436467
printf '1002,5.00,%s\n' "$card" >> orders.csv
git_ add orders.csv
if git_ commit -qm "orders with a card" > "$tmp/card.log" 2>&1; then
    cat "$tmp/card.log"
    fail "a commit adding a card number passed"
fi
grep -q 'credit_card' "$tmp/card.log" || { cat "$tmp/card.log"; fail "the hook did not name the card"; }
grep -q '6467' "$tmp/card.log" || { cat "$tmp/card.log"; fail "the hook did not show the masked card"; }
if grep -q "$card" "$tmp/card.log"; then fail "the hook printed the card number in the clear"; fi
[ "$(git rev-list --count HEAD)" = 2 ] || fail "the blocked commit was made"
echo "pre-commit test: the blocked commit said:"
sed 's/^/  | /' "$tmp/card.log"

# Accepted with a marker, it passes.
git_ reset -q orders.csv
git_ checkout -q orders.csv
printf '1002,5.00,%s,# piiscan:allow credit_card -- gateway test card\n' "$card" >> orders.csv
git_ add orders.csv
git_ commit -qm "orders with an accepted test card" > "$tmp/allowed.log" 2>&1 || { cat "$tmp/allowed.log"; fail "a commit with an accepted card was blocked"; }
echo "pre-commit test: clean commit passed, card number blocked (masked), accepted card passed"
