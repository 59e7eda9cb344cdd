# Shared by bench/closure.sh and bench/sim.sh (sourced): public designs are
# third-party code under their own licences, fetched at run time at pinned
# commits into CACHE and never copied into this repository.
# CACHE: default ~/.cache/verify-bench. Repository URLs can be overridden
# (a local mirror or clone works: git fetches the pinned commit from it).
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/verify-bench}
WBUART32_URL=${WBUART32_URL:-https://github.com/ZipCPU/wbuart32}
WBUART32_COMMIT=f43a6b83c3a70fb2ac0696a45c5545b233fb860b
PICORV32_URL=${PICORV32_URL:-https://github.com/YosysHQ/picorv32}
PICORV32_COMMIT=87c89acc18994c8cf9a2311e871818e87d304568
# Fetch one commit of a repository into CACHE (once) and print its folder.
fetch() {
  local url=$1 commit=$2 dir="$CACHE/$(basename "$1" .git)-$2"
  if [[ ! -d "$dir" ]]; then
    mkdir -p "$CACHE"
    rm -rf "$dir.tmp"
    git init -q "$dir.tmp"
    git -C "$dir.tmp" fetch -q --depth 1 "$url" "$commit" >&2
    git -C "$dir.tmp" -c advice.detachedHead=false checkout -q FETCH_HEAD
    [[ "$(git -C "$dir.tmp" rev-parse HEAD)" == "$commit" ]] || { echo "fetch $url: not at $commit" >&2; exit 2; }
    mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}
