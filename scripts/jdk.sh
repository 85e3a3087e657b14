# Finds a JDK 25 for isoworker's scripts and exports JAVA_HOME. Sourced by ./isoworker, ./test and .ci/run.
#
# Order: $JAVA_HOME, then the usual install folders, then `java` on the PATH. The JDK must be 25 with a patch
# version at least the pinned GraalJS version (graalvm.version in pom.xml): JVMCI refuses a newer compiler.

isoworker_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
isoworker_graal_version="$(sed -n 's:.*<graalvm.version>\(.*\)</graalvm.version>.*:\1:p' "$isoworker_root/pom.xml" | head -n 1)"

# Prints the java.version of the JDK at $1 (empty if it is not a JDK).
isoworker_jdk_version() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p' | head -n 1
}

# True when version $1 is 25.x.y with x.y >= the pinned GraalJS patch level.
isoworker_jdk_ok() {
  local v="$1" need="$isoworker_graal_version"
  [ -n "$v" ] || return 1
  local vmaj vmin vpat nmaj nmin npat
  IFS=. read -r vmaj vmin vpat _ <<<"${v%%[-+]*}.0.0"
  IFS=. read -r nmaj nmin npat _ <<<"${need}.0.0"
  [ "$vmaj" = "$nmaj" ] || return 1
  [ "${vmin:-0}" -gt "${nmin:-0}" ] && return 0
  [ "${vmin:-0}" -eq "${nmin:-0}" ] && [ "${vpat:-0}" -ge "${npat:-0}" ]
}

isoworker_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local d
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*jdk* "$HOME"/.sdkman/candidates/java/* \
           "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && candidates+=("$d")
  done
  if command -v java >/dev/null 2>&1; then
    local j
    j="$(readlink -f "$(command -v java)" 2>/dev/null || command -v java)"
    candidates+=("$(dirname "$(dirname "$j")")")
  fi
  local c v seen=""
  for c in "${candidates[@]}"; do
    v="$(isoworker_jdk_version "$c")"
    [ -n "$v" ] && seen="$seen\n  $c: $v"
    if isoworker_jdk_ok "$v"; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  {
    echo "isoworker needs JDK ${isoworker_graal_version%%.*} at version $isoworker_graal_version or a newer ${isoworker_graal_version%%.*}.x (GraalJS $isoworker_graal_version runs its JIT only there)."
    if [ -n "$seen" ]; then
      printf "JDKs found, none suitable:%b\n" "$seen"
    else
      echo "No JDK was found (looked at \$JAVA_HOME, /usr/lib/jvm, /opt, ~/.sdkman and the PATH)."
    fi
    echo "Install one, for example Eclipse Temurin 25 (https://adoptium.net, or the temurin-25-jdk package),"
    echo "then run again, or point JAVA_HOME at it."
  } >&2
  return 1
}

isoworker_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "isoworker builds with Apache Maven 3.8 or newer, and 'mvn' is not on the PATH. Install it (e.g. the maven package) and run again." >&2
    return 1
  fi
}
