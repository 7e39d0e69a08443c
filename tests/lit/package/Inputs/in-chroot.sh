#!/bin/sh
# in-chroot.sh CHROOT DIR COMMAND...: runs COMMAND (through sh -c) as root in a throwaway copy of the clean
# Debian 12 system CHROOT (scripts/setup-debian12-chroot), for tests/lit/package/clean-debian12.test.
#
# The copy is an overlay: CHROOT is its read-only lower layer, DIR/upper holds every change (so the calls
# of one test see each other's changes: the installed package, a build folder) and CHROOT itself never
# changes. DIR/share is the chroot's /mnt/share (files handed in and out). The mounts live in a mount
# namespace of their own, gone when the command ends; the network namespace is empty, so nothing inside
# can download anything. The environment is a fresh login's, not the test's.
set -eu
root=$1 dir=$2
shift 2
mkdir -p "$dir/upper" "$dir/work" "$dir/merged" "$dir/share"
exec unshare --mount --net --propagation private sh -c '
  root=$1 dir=$2 command=$3
  mount -t overlay hone-clean-debian12 -o "lowerdir=$root,upperdir=$dir/upper,workdir=$dir/work" "$dir/merged"
  mount -t proc proc "$dir/merged/proc"
  mount --rbind /dev "$dir/merged/dev"
  mkdir -p "$dir/merged/mnt/share"
  mount --bind "$dir/share" "$dir/merged/mnt/share"
  exec chroot "$dir/merged" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    /bin/sh -c "cd /root && $command"' sh "$root" "$dir" "$*"
