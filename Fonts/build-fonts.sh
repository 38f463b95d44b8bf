#!/bin/sh
# Rebuilds the BDF fonts in Fonts/ from Debian's font packages, copies their licences, and writes
# the GB2312 hanzi list that coverage reports and tests count against. Installs the packages it needs first.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
packages="xfonts-wqy xfonts-unifont unifont xfonts-base fonts-noto-cjk xfonts-terminus pcf2bdf python3 python3-pil libc-bin gzip"

missing=""
for package in $packages; do
    dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "Installing Debian packages:$missing"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
fi

# Debian's python3 (with python3-pil), not whatever python3 is first on PATH.
/usr/bin/python3 "$here/build_fonts.py"

mkdir -p "$here/licenses"
for package in xfonts-wqy unifont xfonts-base fonts-noto-cjk xfonts-terminus; do
    cp "/usr/share/doc/$package/copyright" "$here/licenses/$package.copyright"
done
# Debian's copyright file gives Unifont's GPL-2+; the font-embedding exception is in its README.
zcat /usr/share/doc/xfonts-unifont/README.gz \
    | sed -n '/The license for the compiled fonts/,/FontException/p' > "$here/licenses/unifont.font-exception"

# The 6763 GB2312 hanzi (rows 0xB0-0xF7), decoded by glibc's iconv rather than Python, so the
# coverage checks do not trust the same decoder that built the fonts.
list="$here/gb2312-hanzi.txt"
for high in $(seq 176 247); do
    for low in $(seq 161 254); do
        printf "\\$(printf %o "$high")\\$(printf %o "$low")"
    done
done | iconv -c -f GB2312 -t UTF-8 > "$list"
echo "$(basename "$list"): $(wc -m < "$list") characters"
