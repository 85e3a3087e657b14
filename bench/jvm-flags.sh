# The JVM flags of the benchmark JVMs, shared by bench/run and bench/neighbours (sourced; needs $root, the checkout):
# GraalJS with its optimizing compiler, as `./isoworker serve` runs it (JVMCI on, the compiler jars of
# runtime/target/jit on the upgrade module path), and the benchmarks' logging configuration.
# shellcheck disable=SC2034 # used by the scripts that source this file
bench_jvm_flags=(
  -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$root/runtime/target/jit"
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
  -Dlogback.configurationFile=isoworker-bench-logback.xml
)

# Fails with a hint when a build output the benchmarks need is missing. $1: the calling script's name.
bench_require_built() {
  local need
  for need in "$root/bench/target/isoworker-bench.jar" "$root/bench/target/lib" "$root/runtime/target/jit"; do
    if [ ! -e "$need" ]; then
      echo "$1: $need is missing; run without BENCH_SKIP_BUILD to build it." >&2
      return 1
    fi
  done
}
