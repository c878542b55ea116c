#!/usr/bin/env bash
# Runs the FlannelTools fuzz harness under afl-fuzz (issue 12): one group of parsers for N minutes.
#   bench/fuzz/fuzz.sh GROUP MINUTES [OUT]
# GROUP: decoder | capture | nodestate | hostlayer (the groups of tests/FlannelTools.Fuzz/FuzzTargets.cs).
# Needs Debian's afl++ (apt-get install afl++) and the SharpFuzz.CommandLine tool of .config/dotnet-tools.json.
# Leaves in OUT (default bench/fuzz/out/GROUP): the instrumented harness, the seeds, afl's findings, and
# found/ with every crash and hang afl kept, each replayed outside afl into found/*.txt with its exception.
set -euo pipefail
group=${1:?usage: fuzz.sh GROUP MINUTES [OUT]}
minutes=${2:?usage: fuzz.sh GROUP MINUTES [OUT]}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${3:-$root/bench/fuzz/out/$group}
case $group in decoder|capture|nodestate|hostlayer) ;; *) echo "unknown group '$group'" >&2; exit 2;; esac
command -v afl-fuzz >/dev/null || { echo "afl-fuzz is not installed (apt-get install afl++)" >&2; exit 2; }

rm -rf "$out"; mkdir -p "$out"
cd "$root"
dotnet tool restore >/dev/null
# SharpFuzz rewrites the assembly it instruments, so it instruments a published copy, never the build output.
dotnet publish tests/FlannelTools.Fuzz -c Release -o "$out/harness" --nologo -v quiet >/dev/null
cp -r "$out/harness" "$out/plain"
dotnet sharpfuzz "$out/harness/FlannelTools.dll" >/dev/null
dotnet "$out/plain/FlannelTools.Fuzz.dll" --seeds "$root/tests/data" "$out/seeds" "$group"

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_FAST_CAL=1 AFL_IGNORE_SEED_PROBLEMS=1 DOTNET_TieredPGO=0
# -t: a .NET start is slow; an input still running after 10 s is a hang. -m none: the runtime reserves much address space.
afl-fuzz -i "$out/seeds" -o "$out/findings" -t 10000 -m none -V $((minutes * 60)) \
    -- dotnet "$out/harness/FlannelTools.Fuzz.dll" > "$out/afl.log" 2>&1 || { tail -30 "$out/afl.log" >&2; exit 1; }

stats=$out/findings/default/fuzzer_stats
mkdir -p "$out/found"
for kind in crashes hangs; do
    for f in "$out"/findings/default/$kind/id:*; do
        [ -e "$f" ] || continue
        name=$kind.$(basename "$f" | cut -c1-9 | tr ':' '-')
        cp "$f" "$out/found/$name"
        # Replayed outside afl with the plain build: the exception and its stack, or nothing for a hang that ends.
        timeout 60 dotnet "$out/plain/FlannelTools.Fuzz.dll" --replay "$f" > "$out/found/$name.txt" 2>&1 || true
    done
done
value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "group:        $group ($minutes min)"
echo "inputs run:   $(value execs_done) ($(value execs_per_sec)/s)"
echo "edges:        $(value edges_found) of $(value total_edges) (bitmap $(value bitmap_cvg))"
echo "corpus:       $(value corpus_count)"
echo "crashes:      $(value saved_crashes)   hangs: $(value saved_hangs)"
echo "found:        $out/found"
