package io.ferry.pldm.simulator;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.TimeEvent;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.EmptyRequest;
import io.ferry.pldm.codec.ErrorResponses;
import io.ferry.pldm.codec.FileAckRequest;
import io.ferry.pldm.codec.FileLengthResponse;
import io.ferry.pldm.codec.GetTidResponse;
import io.ferry.pldm.codec.IbmFileIoCommands;
import io.ferry.pldm.codec.NewFileAvailableRequest;
import io.ferry.pldm.codec.PldmHeader;
import io.ferry.pldm.codec.PldmTypes;
import io.ferry.pldm.codec.ReadWriteFileByTypeMemoryRequest;
import io.ferry.pldm.codec.ReadWriteFileByTypeRequest;
import io.ferry.pldm.codec.ReadWriteFileMemoryRequest;
import io.ferry.pldm.codec.ReadWriteFileRequest;
import io.ferry.pldm.codec.CcOnlyResponse;
import io.ferry.pldm.dma.ShmWindow;
import io.ferry.pldm.mctp.MctpLink;
import io.ferry.pldm.mctp.MctpReceiver;
import io.ferry.pldm.mctp.MctpTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A remote terminus (the host) that talks PLDM to a node: a requester over an
 * {@link MctpTransport}, with the shm host-memory window it shares with the node's
 * {@link io.ferry.pldm.dma.ShmDmaEngine}. DMA operations put data into (or take it from) a range
 * of the window it allocates, send the request, and complete when the response arrives; requests
 * are asynchronous (no send-and-wait inside), matched to responses by instance id (0..31, reused
 * only when free), PLDM type and command. A response that matches nothing pending (after a
 * {@link #reset()} or a timeout, say) is a stray: counted ({@link #strays()}) and dropped.
 * Requests beyond 32 in flight wait in a queue.
 *
 * <p>As a responder it answers the node's NewFileAvailable with SUCCESS and records it
 * ({@link #offers()}); other requests get {@code ERROR_UNSUPPORTED_PLDM_CMD}.
 *
 * <p><b>Threading:</b> one event center runs the simulator and its transport. Public methods may
 * be called from any thread and never block; futures complete on the center's thread (or at once
 * when the simulator is closed). A DMA buffer range is freed when its operation ends, even by a
 * timeout or a reset, although a node may still be moving bytes there: a simulator, not a host.
 */
public final class TerminusSimulator implements MctpReceiver, AutoCloseable {
    /** What a file operation got back. */
    public record Result(int completionCode, long length, byte[] data) {
        /** @return true for {@code SUCCESS}. */
        public boolean ok() {
            return completionCode == CompletionCodes.SUCCESS;
        }

        @Override
        public String toString() {
            return "Result[cc 0x" + Integer.toHexString(completionCode) + ", length " + length
                    + (data == null ? "" : ", " + data.length + " data bytes") + "]";
        }
    }

    /** A NewFileAvailable the node sent. */
    public record Offer(int fileType, long handle, long length) {
    }

    private final class Pending {
        final byte[] message;
        final int type;
        final int command;
        final CompletableFuture<byte[]> future = new CompletableFuture<>();
        final boolean dma;
        int iid = -1;
        TimeEvent timer;
        long region = -1;
        long regionLength;
        int stallSlot = -1;

        Pending(byte[] message, boolean dma) {
            this.message = message;
            this.type = message[1] & PldmHeader.TYPE_MASK;
            this.command = message[2] & 0xFF;
            this.dma = dma;
        }
    }

    private final SimulatorConfig config;
    private final ShmWindow window;
    private final HostMemoryAllocator memory;
    private final Pending[] pending = new Pending[PldmHeader.INSTANCE_ID_MAX + 1];
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private final List<Offer> offers = new CopyOnWriteArrayList<>();
    private volatile SimulatorBehaviour behaviour;
    private volatile MctpTransport transport;
    private volatile EventCenter center;
    private volatile boolean closed;
    private int nextIid;
    private int malformedVariant;
    private volatile long sent;
    private volatile long responses;
    private volatile long strays;

    /**
     * @param config settings
     * @param window the host memory window (attached with {@link ShmWindow#attach} in another
     *     process, or the node's own window in tests); not closed by the simulator
     */
    public TerminusSimulator(SimulatorConfig config, ShmWindow window) {
        this.config = Objects.requireNonNull(config, "config");
        this.window = Objects.requireNonNull(window, "window");
        if (!window.contains(config.windowBase(), config.windowLength())) {
            throw new IllegalArgumentException("the simulator's range is outside the window");
        }
        this.memory = new HostMemoryAllocator(config.windowBase(), config.windowLength());
        this.behaviour = config.behaviour();
    }

    /**
     * Starts {@code transport} (built with this simulator as its receiver) on {@code center}.
     *
     * @throws IOException if the transport cannot start
     */
    public void start(MctpTransport transport, EventCenter center) throws IOException {
        this.center = Objects.requireNonNull(center, "center");
        this.transport = Objects.requireNonNull(transport, "transport");
        transport.start(center);
    }

    /** @return the behaviour in force. */
    public SimulatorBehaviour behaviour() {
        return behaviour;
    }

    /** Changes the behaviour for requests sent from now on. Any thread. */
    public void behaviour(SimulatorBehaviour b) {
        behaviour = Objects.requireNonNull(b, "behaviour");
    }

    /** @return the window. */
    public ShmWindow window() {
        return window;
    }

    /** @return requests sent. */
    public long sent() {
        return sent;
    }

    /** @return responses matched to a request. */
    public long responses() {
        return responses;
    }

    /** @return responses that matched nothing pending (dropped). */
    public long strays() {
        return strays;
    }

    /** @return the node's NewFileAvailable requests so far. */
    public List<Offer> offers() {
        return List.copyOf(offers);
    }

    // ---- operations --------------------------------------------------------------------------

    /** GetTID. @return the node's TID, or a failed future (error code as {@link io.ferry.api.pldm.PldmException}) */
    public CompletableFuture<Integer> getTid() {
        byte[] m = new byte[PldmHeader.LENGTH];
        new EmptyRequest().wrap(ByteBuffer.wrap(m), 0, m.length).encodeGetTid(0);
        return submit(m, r -> {
            GetTidResponse t = new GetTidResponse().wrap(ByteBuffer.wrap(r), 0, r.length);
            if (t.validate() != CompletionCodes.SUCCESS || t.completionCode() != CompletionCodes.SUCCESS) {
                throw new IllegalStateException("GetTID answered " + (r.length > 3 ? "cc 0x" + Integer.toHexString(r[3] & 0xFF) : "short"));
            }
            return t.tid();
        });
    }

    /** WriteFileByTypeFromMemory: puts {@code data} into host memory, then asks the node to take it. */
    public CompletableFuture<Result> writeFileByType(int fileType, long handle, long offset, byte[] data) {
        return dma(IbmFileIoCommands.WRITE_FILE_BY_TYPE_FROM_MEMORY, fileType, handle, offset, data.length, data);
    }

    /** ReadFileByTypeIntoMemory: asks the node to put {@code length} bytes into host memory; the result carries them. */
    public CompletableFuture<Result> readFileByType(int fileType, long handle, long offset, long length) {
        return dma(IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY, fileType, handle, offset, length, null);
    }

    /** WriteFileFromMemory (by file-table handle). */
    public CompletableFuture<Result> writeFileFromMemory(long handle, long offset, byte[] data) {
        return dma(IbmFileIoCommands.WRITE_FILE_FROM_MEMORY, -1, handle, offset, data.length, data);
    }

    /** ReadFileIntoMemory (by file-table handle). */
    public CompletableFuture<Result> readFileIntoMemory(long handle, long offset, long length) {
        return dma(IbmFileIoCommands.READ_FILE_INTO_MEMORY, -1, handle, offset, length, null);
    }

    /** WriteFileByType with the data inline (the small, LPC-like path). */
    public CompletableFuture<Result> writeFileByTypeInline(int fileType, long handle, long offset, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(PldmHeader.LENGTH + ReadWriteFileByTypeRequest.FIXED_LENGTH + data.length);
        new ReadWriteFileByTypeRequest().wrap(b, 0, b.capacity())
                .encodeWriteFileByType(0, fileType, handle, offset, ByteBuffer.wrap(data), 0, data.length);
        return submit(b.array(), TerminusSimulator::lengthResult);
    }

    /** ReadFileByType inline. */
    public CompletableFuture<Result> readFileByTypeInline(int fileType, long handle, long offset, long length) {
        byte[] m = new byte[PldmHeader.LENGTH + ReadWriteFileByTypeRequest.FIXED_LENGTH];
        new ReadWriteFileByTypeRequest().wrap(ByteBuffer.wrap(m), 0, m.length)
                .encodeReadFileByType(0, fileType, handle, offset, length);
        return submit(m, TerminusSimulator::lengthResult);
    }

    /** ReadFile inline (by file-table handle). */
    public CompletableFuture<Result> readFile(long handle, long offset, long length) {
        byte[] m = new byte[PldmHeader.LENGTH + ReadWriteFileRequest.FIXED_LENGTH];
        new ReadWriteFileRequest().wrap(ByteBuffer.wrap(m), 0, m.length).encodeReadFile(0, handle, offset, length);
        return submit(m, TerminusSimulator::lengthResult);
    }

    /** WriteFile inline (by file-table handle). */
    public CompletableFuture<Result> writeFile(long handle, long offset, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(PldmHeader.LENGTH + ReadWriteFileRequest.FIXED_LENGTH + data.length);
        new ReadWriteFileRequest().wrap(b, 0, b.capacity())
                .encodeWriteFile(0, handle, offset, ByteBuffer.wrap(data), 0, data.length);
        return submit(b.array(), TerminusSimulator::lengthResult);
    }

    /** FileAck. @return the completion code */
    public CompletableFuture<Integer> fileAck(int fileType, long handle, int status) {
        byte[] m = new byte[PldmHeader.LENGTH + FileAckRequest.PAYLOAD_LENGTH];
        new FileAckRequest().wrap(ByteBuffer.wrap(m), 0, m.length).encode(0, fileType, handle, status);
        return submit(m, TerminusSimulator::ccOf);
    }

    /** NewFileAvailable (host to node). @return the completion code */
    public CompletableFuture<Integer> newFileAvailable(int fileType, long handle, long length) {
        byte[] m = new byte[PldmHeader.LENGTH + NewFileAvailableRequest.PAYLOAD_LENGTH];
        new NewFileAvailableRequest().wrap(ByteBuffer.wrap(m), 0, m.length).encode(0, fileType, handle, length);
        return submit(m, TerminusSimulator::ccOf);
    }

    /**
     * Reads a whole file the DSP0242 way: DfOpen of {@code fileIdentifier}, MultipartReceive parts
     * (first, then next by the returned handle) until the END flag, checking each part's CRC-32,
     * then DfClose. @return the file's bytes, or a failed future ({@link io.ferry.api.pldm.PldmException}
     * with the refusing code)
     */
    public CompletableFuture<byte[]> dfReadFile(int fileIdentifier) {
        byte[] open = new byte[PldmHeader.LENGTH + io.ferry.pldm.codec.DfOpenRequest.PAYLOAD_LENGTH];
        new io.ferry.pldm.codec.DfOpenRequest().wrap(ByteBuffer.wrap(open), 0, open.length).encode(0, fileIdentifier, 0);
        return exchange(open).thenCompose(r -> {
            io.ferry.pldm.codec.DfOpenResponse o = new io.ferry.pldm.codec.DfOpenResponse().wrap(ByteBuffer.wrap(r), 0, r.length);
            int cc = o.validate() == CompletionCodes.SUCCESS ? o.completionCode() : ccOf(r);
            if (cc != CompletionCodes.SUCCESS) {
                return CompletableFuture.failedFuture(new io.ferry.api.pldm.PldmException(cc, "DfOpen " + fileIdentifier));
            }
            int fd = o.fileDescriptor();
            java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
            return dfPart(fd, io.ferry.pldm.codec.TransferFlags.XFER_FIRST_PART, 0, data).thenCompose(bytes -> {
                byte[] close = new byte[PldmHeader.LENGTH + io.ferry.pldm.codec.DfCloseRequest.PAYLOAD_LENGTH];
                new io.ferry.pldm.codec.DfCloseRequest().wrap(ByteBuffer.wrap(close), 0, close.length).encode(0, fd, 0);
                return exchange(close).thenApply(c -> {
                    if (ccOf(c) != CompletionCodes.SUCCESS) {
                        throw new IllegalStateException("DfClose answered 0x" + Integer.toHexString(ccOf(c)));
                    }
                    return bytes;
                });
            });
        });
    }

    private CompletableFuture<byte[]> dfPart(int fd, int operation, long handle, java.io.ByteArrayOutputStream data) {
        byte[] m = new byte[PldmHeader.LENGTH + io.ferry.pldm.codec.MultipartReceiveRequest.PAYLOAD_LENGTH];
        new io.ferry.pldm.codec.MultipartReceiveRequest().wrap(ByteBuffer.wrap(m), 0, m.length)
                .encode(0, PldmTypes.FILE, operation, fd, handle, 0, 0);
        return exchange(m).thenCompose(r -> {
            io.ferry.pldm.codec.MultipartReceiveResponse p = new io.ferry.pldm.codec.MultipartReceiveResponse()
                    .wrap(ByteBuffer.wrap(r), 0, r.length);
            if (p.validate() != CompletionCodes.SUCCESS || p.completionCode() != CompletionCodes.SUCCESS) {
                return CompletableFuture.failedFuture(new io.ferry.api.pldm.PldmException(ccOf(r), "MultipartReceive fd " + fd));
            }
            if (!p.checksumMatches()) {
                return CompletableFuture.failedFuture(new IOException("part checksum mismatch"));
            }
            data.write(r, p.dataIndex(), (int) p.dataLength());
            int flag = p.transferFlag();
            if (flag == io.ferry.pldm.codec.TransferFlags.END || flag == io.ferry.pldm.codec.TransferFlags.START_AND_END) {
                return CompletableFuture.completedFuture(data.toByteArray());
            }
            return dfPart(fd, io.ferry.pldm.codec.TransferFlags.XFER_NEXT_PART, p.nextTransferHandle(), data);
        });
    }

    /**
     * Sends any request (its instance id is replaced) and returns the raw response message (header
     * included). For tests of odd but well-framed requests.
     */
    public CompletableFuture<byte[]> exchange(byte[] request) {
        return submit(request.clone(), r -> r);
    }

    /**
     * Sends {@code message} as it is (garbage, truncated, a stray response, a stale instance id):
     * nothing is tracked. @return the transport's send code
     */
    public CompletableFuture<Integer> sendRaw(byte[] message) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        if (!runOnLoop(() -> {
            int rc = transport.send(config.bmcEid(), ByteBuffer.wrap(message.clone()));
            if (rc == MctpTransport.OK) {
                sent++;
            }
            f.complete(rc);
        })) {
            f.complete(MctpTransport.NOT_CONNECTED);
        }
        return f;
    }

    /**
     * The terminus resets: every pending request fails (IOException "reset"), stalls are lifted,
     * instance ids start again at 0. Responses to the old requests that still arrive are strays.
     * Any thread; the future completes once done.
     */
    public CompletableFuture<Void> reset() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (!runOnLoop(() -> {
            failAll(new IOException("terminus reset"));
            nextIid = 0;
            f.complete(null);
        })) {
            f.complete(null);
        }
        return f;
    }

    /** Closes the transport abruptly (the terminus dies); pending requests fail. Any thread. */
    public void die() {
        runOnLoop(this::dieNow);
    }

    /** Closes the transport and fails what is pending. Any thread; idempotent. Does not close the window. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!runOnLoop(() -> {
            transport.close();
            failAll(new IOException("simulator closed"));
        })) {
            MctpTransport t = transport;
            if (t != null) {
                t.close();
            }
        }
    }

    /** @return free bytes of the simulator's host memory range (all of it when nothing is pending); loop thread or approximate. */
    public long freeHostMemory() {
        return memory.freeBytes();
    }

    // ---- internals (loop thread) -------------------------------------------------------------

    private CompletableFuture<Result> dma(int command, int fileType, long handle, long offset, long length, byte[] data) {
        byte[] m;
        if (fileType < 0) {
            m = new byte[PldmHeader.LENGTH + ReadWriteFileMemoryRequest.PAYLOAD_LENGTH];
        } else {
            m = new byte[PldmHeader.LENGTH + ReadWriteFileByTypeMemoryRequest.PAYLOAD_LENGTH];
        }
        CompletableFuture<Result> result = new CompletableFuture<>();
        if (!runOnLoop(() -> {
            long address = memory.allocate(length);
            if (address < 0) {
                result.completeExceptionally(new IOException("no host memory left for " + length + " bytes"));
                return;
            }
            if (data != null) {
                window.buffer().put((int) address, data);
            }
            if (fileType < 0) {
                new ReadWriteFileMemoryRequest().wrap(ByteBuffer.wrap(m), 0, m.length).encode(0, command, handle, offset,
                        length, address);
            } else {
                new ReadWriteFileByTypeMemoryRequest().wrap(ByteBuffer.wrap(m), 0, m.length).encode(0, command, fileType,
                        handle, offset, length, address);
            }
            Pending p = new Pending(m, true);
            p.region = address;
            p.regionLength = length;
            // Runs on the loop inside end(): copy a read's data out, free the range, then tell the caller.
            p.future.whenComplete((r, e) -> {
                if (e != null) {
                    freeRegion(p);
                    result.completeExceptionally(e);
                    return;
                }
                Result res;
                try {
                    res = lengthResult(r);
                    if (data == null && res.ok()) {
                        byte[] got = new byte[(int) res.length()];
                        window.buffer().get((int) address, got);
                        res = new Result(res.completionCode(), res.length(), got);
                    }
                } catch (RuntimeException x) {
                    freeRegion(p);
                    result.completeExceptionally(x);
                    return;
                }
                freeRegion(p);
                result.complete(res);
            });
            enqueue(p);
        })) {
            result.completeExceptionally(new IOException("simulator not running"));
        }
        return result;
    }

    private <T> CompletableFuture<T> submit(byte[] message, Function<byte[], T> parse) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!runOnLoop(() -> {
            Pending p = new Pending(message, false);
            p.future.whenComplete((r, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    try {
                        result.complete(parse.apply(r));
                    } catch (RuntimeException x) {
                        result.completeExceptionally(x);
                    }
                }
            });
            enqueue(p);
        })) {
            result.completeExceptionally(new IOException("simulator not running"));
        }
        return result;
    }

    private boolean runOnLoop(Runnable task) {
        EventCenter c = center;
        if (c == null) {
            return false; // not started
        }
        if (c.inEventLoop()) {
            task.run();
            return true;
        }
        return c.execute(task);
    }

    private void enqueue(Pending p) {
        if (closed || transport == null || !transport.isOpen()) {
            release(p);
            p.future.completeExceptionally(new IOException("terminus transport closed"));
            freeRegion(p);
            return;
        }
        if (behaviour == SimulatorBehaviour.SLOW) {
            center.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(config.slowDelayMillis()), () -> assign(p));
        } else {
            assign(p);
        }
    }

    private void assign(Pending p) {
        for (int i = 0; i < pending.length; i++) {
            int iid = (nextIid + i) % pending.length;
            if (pending[iid] == null) {
                nextIid = (iid + 1) % pending.length;
                send(p, iid);
                return;
            }
        }
        waiting.add(p);
    }

    private void send(Pending p, int iid) {
        p.iid = iid;
        p.message[0] = (byte) ((p.message[0] & ~PldmHeader.INSTANCE_ID_MASK) | iid);
        byte[] wire = p.message;
        SimulatorBehaviour b = behaviour;
        if (b == SimulatorBehaviour.MALFORMED) {
            wire = (malformedVariant++ & 1) == 0 ? Arrays.copyOf(wire, wire.length - 1) : Arrays.copyOf(wire, wire.length + 1);
        }
        if (p.dma && (b == SimulatorBehaviour.STALL || b == SimulatorBehaviour.DIE) && p.regionLength >= 16) {
            long half = (p.regionLength / 2) & ~15L;
            p.stallSlot = window.stall(p.region + half, p.regionLength - half);
        }
        pending[iid] = p;
        p.timer = center.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMillis()),
                () -> timedOut(p));
        int rc = transport.send(config.bmcEid(), ByteBuffer.wrap(wire));
        if (rc != MctpTransport.OK) {
            end(p, null, new IOException("send failed: " + MctpTransport.describe(rc)));
            return;
        }
        sent++;
        if (p.dma && b == SimulatorBehaviour.DIE) {
            center.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(config.dieDelayMillis()), this::dieNow);
        }
    }

    private void dieNow() {
        MctpTransport t = transport;
        if (t != null) {
            t.close();
        }
        failAll(new IOException("terminus died"));
    }

    private void timedOut(Pending p) {
        p.timer = null;
        end(p, null, new TimeoutException("no response within " + config.requestTimeoutMillis() + " ms"));
    }

    private void end(Pending p, byte[] response, Throwable error) {
        if (p.iid >= 0 && pending[p.iid] == p) {
            pending[p.iid] = null;
        }
        if (p.timer != null) {
            p.timer.cancel();
            p.timer = null;
        }
        release(p);
        if (error != null) {
            p.future.completeExceptionally(error);
        } else {
            p.future.complete(response);
        }
        freeRegion(p);
        Pending next;
        while ((next = waiting.poll()) != null) {
            if (!next.future.isDone()) {
                assign(next);
                break;
            }
        }
    }

    /** Lifts the operation's stall. */
    private void release(Pending p) {
        if (p.stallSlot >= 0) {
            window.resume(p.stallSlot);
            p.stallSlot = -1;
        }
    }

    /** Returns the operation's host memory, after its future completed (a read copied its data out by then). */
    private void freeRegion(Pending p) {
        if (p.region >= 0) {
            memory.free(p.region, p.regionLength);
            p.region = -1;
        }
    }

    private void failAll(Throwable error) {
        for (Pending p : pending) {
            if (p != null) {
                end(p, null, error);
            }
        }
        Pending w;
        while ((w = waiting.poll()) != null) {
            release(w);
            w.future.completeExceptionally(error);
            freeRegion(w);
        }
    }

    @Override
    public void onMessage(MctpLink from, int eid, ByteBuffer message) {
        int at = message.position();
        int length = message.remaining();
        if (length < PldmHeader.LENGTH) {
            strays++;
            return;
        }
        byte[] copy = new byte[length];
        message.get(at, copy);
        if (PldmHeader.isRequest(message, at)) {
            answerRequest(from, eid, copy);
            return;
        }
        int iid = PldmHeader.instanceId(message, at);
        Pending p = pending[iid];
        if (p == null || p.type != PldmHeader.pldmType(message, at) || p.command != PldmHeader.command(message, at)) {
            strays++;
            return;
        }
        responses++;
        end(p, copy, null);
    }

    private void answerRequest(MctpLink from, int eid, byte[] request) {
        if (PldmHeader.isDatagram(ByteBuffer.wrap(request), 0)) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(request);
        int iid = PldmHeader.instanceId(in, 0);
        int type = PldmHeader.pldmType(in, 0);
        int command = PldmHeader.command(in, 0);
        ByteBuffer out = ByteBuffer.allocate(16);
        int n;
        NewFileAvailableRequest nfa = new NewFileAvailableRequest().wrap(in, 0, request.length);
        if (type == PldmTypes.OEM && command == IbmFileIoCommands.NEW_FILE_AVAILABLE
                && nfa.validate() == CompletionCodes.SUCCESS) {
            offers.add(new Offer(nfa.fileType(), nfa.fileHandle(), nfa.length()));
            n = new CcOnlyResponse().wrap(out, 0, out.capacity()).encode(iid, type, command, CompletionCodes.SUCCESS);
        } else {
            n = ErrorResponses.encode(out, 0, out.capacity(), iid, type, command, CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD);
        }
        if (n > 0) {
            out.limit(n);
            from.send(eid, out);
        }
    }

    private static Result lengthResult(byte[] r) {
        FileLengthResponse f = new FileLengthResponse().wrap(ByteBuffer.wrap(r), 0, r.length);
        int v = f.validate();
        if (v != CompletionCodes.SUCCESS) {
            // A cc-only error form: report its code with no length.
            return new Result(r.length > PldmHeader.LENGTH ? r[PldmHeader.LENGTH] & 0xFF : CompletionCodes.ERROR, 0, null);
        }
        if (f.completionCode() != CompletionCodes.SUCCESS) {
            return new Result(f.completionCode(), 0, null);
        }
        byte[] data = null;
        if (FileLengthResponse.carriesData(f.command())) {
            data = Arrays.copyOfRange(r, f.dataIndex(), f.dataIndex() + (int) f.length());
        }
        return new Result(CompletionCodes.SUCCESS, f.length(), data);
    }

    private static int ccOf(byte[] r) {
        return r.length > PldmHeader.LENGTH ? r[PldmHeader.LENGTH] & 0xFF : CompletionCodes.ERROR;
    }

    @Override
    public String toString() {
        return "terminus simulator (" + behaviour + ", " + config.windowLength() + " B at 0x"
                + Long.toHexString(config.windowBase()) + ")";
    }
}
