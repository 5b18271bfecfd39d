package io.ferry.messenger.wire;

import io.ferry.api.buffer.ReferenceCounted;

/** A reference-counted owner for tests: starts at one (the caller's), fails loudly on a release too many. */
final class CountingOwner implements ReferenceCounted {
    private int count = 1;

    @Override
    public int refCount() {
        return count;
    }

    @Override
    public void retain() {
        if (count <= 0) {
            throw new IllegalStateException("retain after free");
        }
        count++;
    }

    @Override
    public boolean release() {
        if (count <= 0) {
            throw new IllegalStateException("released once too often");
        }
        count--;
        return count == 0;
    }
}
