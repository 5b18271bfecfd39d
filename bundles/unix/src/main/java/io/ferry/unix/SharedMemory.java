package io.ferry.unix;

import com.sun.jna.Pointer;
import io.ferry.api.net.Errno;
import io.ferry.unix.internal.LibC;
import io.ferry.unix.internal.Memfd;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A shared-memory region mapped {@code MAP_SHARED} into this process, backed by a descriptor
 * that can be passed to another process with
 * {@link UnixSeqpacketSocket#sendWithFds(ByteBuffer, int[])}: a {@code memfd_create} file
 * (close-on-exec, optionally sealable), or where memfd is missing an unlinked 0600 file under
 * {@code /dev/shm} (so nothing is left behind after a crash). The receiving side maps the same
 * memory with {@link #map(int, long)}.
 *
 * <p><b>Lifetime.</b> {@link #buffer()} and {@link #address()} refer to the mapping, which
 * {@link #close()} unmaps. A buffer used after that touches unmapped memory and crashes the JVM:
 * close only when no thread can still use the buffer (stop the users first, then close).
 * {@link #liveMappings()} counts mappings not yet closed, for leak tests.
 *
 * <p><b>Hostile peers.</b> {@link #map(int, long)} checks that the file is at least as large as
 * the mapping; a peer that shrinks the file later makes access raise {@code SIGBUS}. Accept
 * memory from an untrusted peer only when {@link #isSizeSealed()} is true (the creator called
 * {@link #sealSize()}).
 *
 * <p><b>Threading.</b> Any thread may read and write the memory; ordering between processes is
 * the user's (VarHandle acquire/release on the buffer). {@link #close()} is idempotent and
 * thread-safe.
 */
public final class SharedMemory implements AutoCloseable {
    private static final AtomicInteger LIVE = new AtomicInteger();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final VarHandle MAPPED;

    static {
        try {
            MAPPED = MethodHandles.lookup().findVarHandle(SharedMemory.class, "mapped", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FileDescriptor descriptor;
    private final long address;
    private final long size;
    private final boolean memfd;
    private final ByteBuffer buffer;
    @SuppressWarnings("unused") // through MAPPED
    private volatile boolean mapped = true;

    private SharedMemory(FileDescriptor descriptor, long address, long size, boolean memfd) {
        this.descriptor = descriptor;
        this.address = address;
        this.size = size;
        this.memfd = memfd;
        this.buffer = new Pointer(address).getByteBuffer(0, size).order(ByteOrder.nativeOrder());
        LIVE.incrementAndGet();
    }

    /** As {@link #create(String, long, boolean)} without sealing. */
    public static SharedMemory create(String name, long size) throws UnixException {
        return create(name, size, false);
    }

    /**
     * Creates zero-filled shared memory of {@code size} bytes and maps it.
     *
     * @param name a label for {@code /proc/<pid>/fd} and {@code /proc/<pid>/maps} (memfd:name)
     * @param size 1 to {@link Integer#MAX_VALUE} bytes
     * @param allowSealing true to allow {@link #sealSize()} ({@code MFD_ALLOW_SEALING}); ignored
     *     by the /dev/shm fallback, which cannot be sealed
     * @throws UnixException if the memory cannot be created, sized or mapped; nothing is leaked
     */
    public static SharedMemory create(String name, long size, boolean allowSealing) throws UnixException {
        Objects.requireNonNull(name, "name");
        checkSize(size);
        Unix.requireAvailable();
        if (Memfd.isAvailable()) {
            int fd = Memfd.memfd_create(name, LibC.MFD_CLOEXEC | (allowSealing ? LibC.MFD_ALLOW_SEALING : 0));
            if (fd >= 0) {
                return sizeAndMap(fd, size, true, "memfd " + name);
            }
            int errno = LibC.errno();
            if (errno != LibC.ENOSYS && errno != Errno.EPERM && errno != Errno.EOPNOTSUPP) {
                throw new UnixException("memfd_create " + name, errno);
            }
        }
        return createInDevShm(name, size);
    }

    /** The fallback: a 0600 file under /dev/shm, created exclusively and unlinked at once. */
    static SharedMemory createInDevShm(String name, long size) throws UnixException {
        checkSize(size);
        Unix.requireAvailable();
        String path = "/dev/shm/ferry-" + name.replace('/', '_') + "-" + ProcessHandle.current().pid() + "-"
                + SEQUENCE.incrementAndGet() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0600);
        if (fd < 0) {
            throw new UnixException("open " + path, LibC.errno());
        }
        LibC.unlink(path);
        return sizeAndMap(fd, size, false, path);
    }

    /**
     * Maps shared memory received from another process, taking ownership of {@code fd} (closed by
     * {@link #close()}, or at once if mapping fails).
     *
     * @param size the bytes to map; the file must be at least this large
     * @throws UnixException {@code EINVAL} if the file is smaller than {@code size}, or the
     *     mapping failed
     */
    public static SharedMemory map(int fd, long size) throws UnixException {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd);
        }
        Unix.requireAvailable();
        try {
            checkSize(size);
        } catch (IllegalArgumentException e) {
            LibC.close(fd);
            throw e;
        }
        long fileSize = LibC.lseek(fd, 0, LibC.SEEK_END);
        if (fileSize < 0) {
            int errno = LibC.errno();
            LibC.close(fd);
            throw new UnixException("lseek fd " + fd, errno);
        }
        if (fileSize < size) {
            LibC.close(fd);
            throw new UnixException("map fd " + fd + ": file has " + fileSize + " bytes, " + size + " requested",
                    Errno.EINVAL);
        }
        return mapOwned(fd, size, false, "fd " + fd);
    }

    private static SharedMemory sizeAndMap(int fd, long size, boolean memfd, String what) throws UnixException {
        if (LibC.ftruncate(fd, size) != 0) {
            int errno = LibC.errno();
            LibC.close(fd);
            throw new UnixException("ftruncate " + what, errno);
        }
        return mapOwned(fd, size, memfd, what);
    }

    private static SharedMemory mapOwned(int fd, long size, boolean memfd, String what) throws UnixException {
        long address = LibC.mmap(0L, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0L);
        if (address == LibC.MAP_FAILED) {
            int errno = LibC.errno();
            LibC.close(fd);
            throw new UnixException("mmap " + what, errno);
        }
        return new SharedMemory(new FileDescriptor(fd), address, size, memfd);
    }

    private static void checkSize(long size) {
        if (size < 1 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shared memory size out of range [1, 2^31-1]: " + size);
        }
    }

    /** @return the number of mappings made by this class and not yet closed, in this class loader. */
    public static int liveMappings() {
        return LIVE.get();
    }

    /**
     * @return a new view of the whole mapping (position 0, limit {@link #size()}, native byte
     *     order), independent of other views' positions; valid until {@link #close()}
     */
    public ByteBuffer buffer() {
        return buffer.duplicate().order(ByteOrder.nativeOrder());
    }

    /** @return the mapping's native address; valid until {@link #close()}. */
    public long address() {
        return address;
    }

    /** @return the mapping's size in bytes. */
    public long size() {
        return size;
    }

    /** @return the backing descriptor (for SCM_RIGHTS), or -1 once closed. Owned by this object. */
    public int fd() {
        return descriptor.fd();
    }

    /** @return true if backed by memfd, false for the /dev/shm fallback or memory received with {@link #map}. */
    public boolean isMemfd() {
        return memfd;
    }

    /**
     * Forbids any change of the file's size from now on ({@code F_SEAL_SHRINK | F_SEAL_GROW}), so a
     * receiver can trust its mapping never to be cut short. Needs {@code allowSealing} at creation.
     *
     * @return 0, or {@code -EPERM} (not sealable, or already sealed against sealing),
     *     {@code -EINVAL}, {@code -EBADF}
     */
    public int sealSize() {
        int fd = descriptor.fd();
        if (fd < 0) {
            return -Errno.EBADF;
        }
        if (LibC.fcntl(fd, LibC.F_ADD_SEALS, LibC.F_SEAL_SHRINK | LibC.F_SEAL_GROW) != 0) {
            return -LibC.errno();
        }
        return 0;
    }

    /** @return true if the backing file's size can no longer change (see {@link #sealSize()}). */
    public boolean isSizeSealed() {
        int fd = descriptor.fd();
        if (fd < 0) {
            return false;
        }
        int seals = LibC.fcntl(fd, LibC.F_GET_SEALS, 0);
        int both = LibC.F_SEAL_SHRINK | LibC.F_SEAL_GROW;
        return seals >= 0 && (seals & both) == both;
    }

    /** @return false once {@link #close()} has been called. */
    public boolean isMapped() {
        return mapped;
    }

    /**
     * Unmaps the memory and closes the descriptor, exactly once. Afterwards the buffers from
     * {@link #buffer()} must not be touched (see the class doc). Memory passed to another process
     * stays valid there until that process unmaps it too.
     */
    @Override
    public void close() {
        if (MAPPED.compareAndSet(this, true, false)) {
            LibC.munmap(address, size);
            LIVE.decrementAndGet();
            descriptor.close();
        }
    }

    @Override
    public String toString() {
        return "SharedMemory[" + size + " bytes, fd " + fd() + (memfd ? ", memfd" : "") + "]";
    }

    /** The backing descriptor, closed exactly once. */
    private static final class FileDescriptor extends NativeDescriptor {
        FileDescriptor(int fd) {
            super(fd);
        }
    }
}
