#!/usr/bin/env bash
# Builds libferry-core-io.so (the JNI side of io.ferry.core.jni.NativeIo) into
# <classes>/META-INF/native/linux-<arch>/. Run by Maven at compile (bundles/core/pom.xml).
#
#   build.sh <classes-dir> <java-home>
#
# Needs a C compiler (cc or gcc) and the C library headers (Debian: apt-get install gcc libc6-dev;
# ./ferry installs them). -Dferry.native.skip=true skips this step: the bundle then works through
# JNA only, slower, and says so in its log.
set -euo pipefail

classes="$1"
java_home="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

cc="${CC:-}"
if [[ -z "$cc" ]]; then
    cc="$(command -v cc || command -v gcc || true)"
fi
if [[ -z "$cc" ]]; then
    echo "core: no C compiler for the JNI I/O library. Install one (Debian: apt-get install gcc libc6-dev)" \
        "or build with -Dferry.native.skip=true (JNA only, slower)." >&2
    exit 1
fi
if [[ ! -f "$java_home/include/jni.h" ]]; then
    echo "core: $java_home/include/jni.h is missing: build with a JDK, not a JRE." >&2
    exit 1
fi

arch="$(uname -m)"
out="$classes/META-INF/native/linux-$arch"
mkdir -p "$out"
"$cc" -shared -fPIC -O2 -Wall -Wextra -Werror -Wno-unused-parameter -std=c11 -D_GNU_SOURCE \
    -I"$java_home/include" -I"$java_home/include/linux" \
    -o "$out/libferry-core-io.so" "$here/ferry_core_io.c"
