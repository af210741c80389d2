#!/usr/bin/env bash
# make lock: regenerates deploy/requirements.txt, the deploy venv's lock (SAM CLI, cfn-lint and
# every dependency, each with the SHA-256 of every file PyPI has for its version), from
# deploy/requirements.in, with pip-tools (pinned) in a venv of its own. Run it after changing
# SAM_CLI_VERSION or CFN_LINT_VERSION in scripts/lib.sh (and the same pins in
# deploy/requirements.in), and commit both files. It resolves for this machine's Python; the
# deploy job's (ubuntu-24.04, Python 3.12) resolved to the same set when this was written
# (pip install --dry-run --python-version 3.12). A few minutes: pip-tools fetches every file.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
PIP_TOOLS_VERSION=7.6.2
venv="$TOOLS/pip-tools-venv"
for pin in "aws-sam-cli==$SAM_CLI_VERSION" "cfn-lint==$CFN_LINT_VERSION"; do
  grep -qx "$pin" deploy/requirements.in || die "deploy/requirements.in must pin $pin (scripts/lib.sh)"
done
if ! "$venv/bin/pip-compile" --version 2>/dev/null | grep -q "$PIP_TOOLS_VERSION"; then
  say "installing pip-tools $PIP_TOOLS_VERSION into $venv"
  rm -rf "$venv" # a venv moved or made through a symlink has scripts pip would not rewrite
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pip-tools==$PIP_TOOLS_VERSION"
fi
say "pip-compile --generate-hashes deploy/requirements.in"
"$venv/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --no-emit-find-links \
  --no-emit-index-url --output-file deploy/requirements.txt deploy/requirements.in
