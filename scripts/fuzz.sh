#!/usr/bin/env bash
# Runs the parser fuzzers (fuzz/fuzz_targets) with libFuzzer for a while each, growing their
# corpora in fuzz/corpus, then minimises each corpus so what is committed stays small.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s, every target)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain RUSTC_BOOTSTRAP=1 lets
# it pass its nightly flags. A crash leaves its input in fuzz/artifacts/<target>/: copy it
# into fuzz/corpus/<target>/ with the fix, so that `cargo test -p partnerdesk-http --test
# fuzz_corpora` replays it from then on.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../fuzz"
seconds=${1:-60}
shift || true
export RUSTC_BOOTSTRAP=1
targets=("$@")
if ((${#targets[@]} == 0)); then
    mapfile -t targets < <(cargo fuzz list)
fi
cargo fuzz build
for target in "${targets[@]}"; do
    echo "==> $target for ${seconds}s"
    mkdir -p "corpus/$target"
    # -timeout: an input that takes a second is a hang; -max_len keeps inputs request-sized.
    cargo fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=1 -max_len=4096 -print_final_stats=1
    # Keep the corpus small: the smallest set of inputs with the same coverage.
    cargo fuzz cmin "$target" "corpus/$target"
done
