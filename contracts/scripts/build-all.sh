#!/usr/bin/env bash
# `make contracts`: build every contracts/src/<name>/index.ts to contracts/build/<name>.js and
# contracts/build/<name>.wasm. Installs the Debian toolchain when missing (CI starts fresh),
# then runs contracts/scripts/build.mjs. Arguments are passed on (contract names, --force).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

say() { echo "[contracts] $*"; }

# package -> a file it provides
declare -A NEEDS=(
  [clang-14]=/usr/bin/clang-14
  [lld-14]=/usr/lib/llvm-14/bin/wasm-ld
  [libclang-rt-14-dev-wasm32]=/usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi/libclang_rt.builtins-wasm32.a
  [wasi-libc]=/usr/lib/wasm32-wasi/libc.a
  [gcc]=/usr/bin/cc
)
missing=()
for pkg in clang-14 lld-14 libclang-rt-14-dev-wasm32 wasi-libc gcc; do
  file=${NEEDS[$pkg]}
  # the compiler-rt path carries clang's patch version: accept any 14.x
  if [[ $pkg == libclang-rt-14-dev-wasm32 ]]; then
    compgen -G '/usr/lib/llvm-14/lib/clang/14*/lib/wasi/libclang_rt.builtins-wasm32.a' >/dev/null && continue
  elif [[ -e $file ]]; then
    continue
  fi
  missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
  say "installing missing Debian packages: ${missing[*]}"
  if command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update >/dev/null && apt-get install -y "${missing[@]}"; } ||
      { say "ERROR E_TOOLCHAIN: apt-get could not install: ${missing[*]}"; exit 1; }
  else
    say "ERROR E_TOOLCHAIN: missing Debian packages: ${missing[*]}"
    say "install them as root: apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

for mod in near-sdk-js qjsc rollup @rollup/plugin-babel @babel/preset-typescript; do
  if [[ ! -f node_modules/$mod/package.json && ! -f contracts/node_modules/$mod/package.json ]]; then
    say "ERROR E_NODE_MODULES: npm package $mod is missing: run 'make install' (npm ci)"
    exit 1
  fi
done

exec node contracts/scripts/build.mjs "$@"
