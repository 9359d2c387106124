# Shared by scripts/quickstart and scripts/test: create ./.venv with a Python >= 3.11 and
# install parcelgraph into it (editable), re-installing only when pyproject.toml changed.

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "parcelgraph needs Python 3.11 or newer on PATH (or set PYTHON=/path/to/python3.11)" >&2
  return 1
}

ensure_venv() {
  local extra="${1:-}" spec="." stamp
  [ -n "$extra" ] && spec=".[${extra}]"
  if [ ! -x .venv/bin/python ]; then
    "$(find_python)" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  stamp=".venv/.installed-${extra:-base}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "== installing parcelgraph${extra:+ with [$extra]} into .venv"
    .venv/bin/python -m pip install --quiet -e "$spec"
    touch "$stamp"
  fi
}
