package io.ferry.pldm.dma;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.ferry.api.event.Pollable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code /dev/aspeed-xdma} through JNA: {@code open(O_RDWR | O_NONBLOCK | O_CLOEXEC)},
 * {@code mmap(MAP_SHARED)} of the client's share of the reserved BMC memory, {@code write} of one
 * {@link XdmaOpDescriptor op}, and a zero-timeout {@code poll} to read how the op ended (the
 * event loop reports POLLERR and POLLIN alike as readable, so the engine asks again here).
 *
 * <p>Threading as in {@link XdmaDevice}: {@link #close()} may block in {@code munmap} while a DMA
 * is in flight (the "host crash mid-DMA hanging munmap" field failure), which is why the engine
 * closes such devices on its releaser thread, never on an event loop.
 */
final class JnaXdmaDevice implements XdmaDevice {
    /** The device node of the Aspeed XDMA driver. */
    static final String DEVICE_PATH = "/dev/aspeed-xdma";

    /** Opens {@link #DEVICE_PATH}; unavailable where the node or JNA is missing. */
    static final class Factory implements XdmaDevice.Factory {
        private final Path device;

        Factory(Path device) {
            this.device = device;
        }

        Factory() {
            this(Paths.get(DEVICE_PATH));
        }

        @Override
        public String unavailableReason() {
            if (!Files.exists(device)) {
                return device + " does not exist (no Aspeed XDMA engine on this machine)";
            }
            return XdmaLibC.unavailableReason();
        }

        @Override
        public XdmaDevice open(int mapSize) throws IOException {
            String reason = unavailableReason();
            if (reason != null) {
                throw new IOException(reason);
            }
            int fd = XdmaLibC.open(device.toString(), XdmaLibC.O_RDWR | XdmaLibC.O_NONBLOCK | XdmaLibC.O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("open " + device + " failed: errno " + XdmaLibC.errno());
            }
            long addr = XdmaLibC.mmap(0, mapSize, XdmaLibC.PROT_READ | XdmaLibC.PROT_WRITE, XdmaLibC.MAP_SHARED, fd, 0);
            if (addr == XdmaLibC.MAP_FAILED) {
                int errno = XdmaLibC.errno();
                XdmaLibC.close(fd);
                throw new IOException("mmap of " + mapSize + " B of " + device + " failed: errno " + errno);
            }
            return new JnaXdmaDevice(fd, addr, mapSize);
        }
    }

    private final int fd;
    private final long mapAddress;
    private final int mapSize;
    private final Pollable pollable;
    private final ByteBuffer buffer;
    private final Memory opMemory = new Memory(XdmaOpDescriptor.SIZE + XdmaLibC.POLLFD_SIZE);
    private final ByteBuffer op;
    private boolean closed;

    private JnaXdmaDevice(int fd, long mapAddress, int mapSize) {
        this.fd = fd;
        this.mapAddress = mapAddress;
        this.mapSize = mapSize;
        this.pollable = Pollable.ofFd(fd);
        this.buffer = new Pointer(mapAddress).getByteBuffer(0, mapSize);
        this.op = opMemory.getByteBuffer(0, XdmaOpDescriptor.SIZE);
    }

    @Override
    public Pollable pollable() {
        return pollable;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public ByteBuffer op() {
        return op;
    }

    @Override
    public int submit() {
        long n = XdmaLibC.write(fd, Pointer.nativeValue(opMemory), XdmaOpDescriptor.SIZE);
        if (n < 0) {
            return -XdmaLibC.errno();
        }
        return n == XdmaOpDescriptor.SIZE ? 0 : DmaStatus.EIO;
    }

    @Override
    public int completion() {
        long pfd = Pointer.nativeValue(opMemory) + XdmaOpDescriptor.SIZE;
        opMemory.setInt(XdmaOpDescriptor.SIZE, fd);
        opMemory.setShort(XdmaOpDescriptor.SIZE + XdmaLibC.POLLFD_EVENTS_OFFSET, XdmaLibC.POLLIN);
        opMemory.setShort(XdmaOpDescriptor.SIZE + XdmaLibC.POLLFD_REVENTS_OFFSET, (short) 0);
        int n = XdmaLibC.poll(pfd, 1, 0);
        if (n < 0) {
            return -XdmaLibC.errno();
        }
        if (n == 0) {
            return DmaStatus.EINPROGRESS;
        }
        short revents = opMemory.getShort(XdmaOpDescriptor.SIZE + XdmaLibC.POLLFD_REVENTS_OFFSET);
        if ((revents & (XdmaLibC.POLLERR | XdmaLibC.POLLHUP)) != 0) {
            return DmaStatus.EIO;
        }
        return 0;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        XdmaLibC.munmap(mapAddress, mapSize);
        XdmaLibC.close(fd);
        opMemory.close();
    }
}
