#!/bin/sh
# Builds /app with the linking the scenario's axis names, and writes /libraries.txt: the gin, GORM and
# SQLite the binary was built with. Upstream (a builder with network): the modules go.mod pins. Offline
# (the stand-in builder, which carries Debian's packages): Debian's gin, GORM v1 and go-sqlite3 in
# GOPATH mode, against Debian's libsqlite3.
set -eu
linking=$1
if [ -d /usr/share/gocode/src/github.com/gin-gonic/gin ]; then
  export GO111MODULE=off GOPATH=/go:/usr/share/gocode GOFLAGS=
  mkdir -p /go/src && ln -s /src /go/src/gin-gorm && cd /go/src/gin-gorm
  tags=gormv1
  dpkg-query -W -f='${Package} ${Version} (Debian package, GOPATH mode)\n' golang-github-gin-gonic-gin-dev \
    golang-github-jinzhu-gorm-dev golang-github-mattn-go-sqlite3-dev libsqlite3-dev >/libraries.txt
else
  go mod tidy
  tags=
  go list -m github.com/gin-gonic/gin gorm.io/gorm gorm.io/driver/sqlite github.com/mattn/go-sqlite3 | sed 's/$/ (Go module)/' >/libraries.txt
fi
# A static link names what libsqlite3.a needs itself: its shared library would have pulled them in.
static='-linkmode external -extldflags "-static -lm -ldl -lpthread"'
case $linking in
  nocgo) CGO_ENABLED=0 go build -trimpath -tags "$tags" -ldflags "-s -w" -o /app . ;;
  dynamic) CGO_ENABLED=1 go build -trimpath -tags "$tags" -ldflags "-s -w" -o /app . ;;
  static) CGO_ENABLED=1 go build -trimpath -tags "$tags netgo osusergo" -ldflags "-s -w $static" -o /app . ;;
  musl)
    # golang:*-bookworm has no musl-gcc; the offline builder has it.
    command -v musl-gcc >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends musl-tools >/dev/null; }
    # musl-gcc searches musl's headers and libraries only: give it SQLite's, and nothing else of glibc's.
    mkdir -p /tmp/sqlite/include /tmp/sqlite/lib
    lib=/usr/lib/x86_64-linux-gnu/libsqlite3.a
    if [ -n "$tags" ]; then
      # Offline, Debian's libsqlite3.a was compiled against glibc. Of glibc it needs three symbols musl
      # lacks (fortify's checked memcpy and memset, and fcntl64): given here, as Alpine's gcompat gives
      # them. Upstream, go-sqlite3 compiles its bundled SQLite with musl-gcc and needs none of this.
      cp /usr/include/sqlite3.h /usr/include/sqlite3ext.h /tmp/sqlite/include/
      cp "$lib" /tmp/sqlite/lib/
      printf '%s\n' '#include <fcntl.h>' '#include <stdarg.h>' '#include <string.h>' \
        'void *__memcpy_chk(void *d, const void *s, size_t n, size_t size) { return memcpy(d, s, n); }' \
        'void *__memset_chk(void *d, int c, size_t n, size_t size) { return memset(d, c, n); }' \
        'int fcntl64(int fd, int cmd, ...) { va_list a; va_start(a, cmd); long arg = va_arg(a, long); va_end(a); return fcntl(fd, cmd, arg); }' \
        >/tmp/sqlite/glibc.c
      musl-gcc -O2 -c /tmp/sqlite/glibc.c -o /tmp/sqlite/glibc.o && ar rcs /tmp/sqlite/lib/libglibcsyms.a /tmp/sqlite/glibc.o
      static='-linkmode external -extldflags "-static -lm -ldl -lpthread -L/tmp/sqlite/lib -lglibcsyms"'
    fi
    CC=musl-gcc CGO_CFLAGS=-I/tmp/sqlite/include CGO_LDFLAGS=-L/tmp/sqlite/lib CGO_ENABLED=1 go build -trimpath -tags "$tags netgo osusergo" -ldflags "-s -w $static" -o /app . ;;
  *) echo "unknown linking $linking: use nocgo, dynamic, static or musl" >&2; exit 2 ;;
esac
mkdir -p /data
