package io.ferry.pldm.engine;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.TimeEvent;
import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.HandlerInfo;
import io.ferry.api.pldm.OpenResult;
import io.ferry.api.pldm.PldmException;
import io.ferry.api.pldm.Resolution;
import io.ferry.api.pldm.TransferCounters;
import io.ferry.api.pldm.TransferDirection;
import io.ferry.api.pldm.TransferInfo;
import io.ferry.api.pldm.TransferListener;
import io.ferry.api.pldm.TransferService;
import io.ferry.api.pldm.TransferState;
import io.ferry.pldm.codec.BaseCommands;
import io.ferry.pldm.codec.CcOnlyResponse;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.FileAckRequest;
import io.ferry.pldm.codec.FileLengthResponse;
import io.ferry.pldm.codec.GetFileTableRequest;
import io.ferry.pldm.codec.GetFileTableResponse;
import io.ferry.pldm.codec.GetPldmCommandsRequest;
import io.ferry.pldm.codec.GetPldmCommandsResponse;
import io.ferry.pldm.codec.GetPldmTypesResponse;
import io.ferry.pldm.codec.GetPldmVersionRequest;
import io.ferry.pldm.codec.GetPldmVersionResponse;
import io.ferry.pldm.codec.GetTidResponse;
import io.ferry.pldm.codec.IbmFileIoCommands;
import io.ferry.pldm.codec.NewFileAvailableRequest;
import io.ferry.pldm.codec.PldmHeader;
import io.ferry.pldm.codec.PldmRequestDecoder;
import io.ferry.pldm.codec.PldmRequestKind;
import io.ferry.pldm.codec.PldmTypes;
import io.ferry.pldm.codec.ReadWriteFileByTypeMemoryRequest;
import io.ferry.pldm.codec.ReadWriteFileByTypeRequest;
import io.ferry.pldm.codec.ReadWriteFileMemoryRequest;
import io.ferry.pldm.codec.ReadWriteFileRequest;
import io.ferry.pldm.codec.TransferFlags;
import io.ferry.pldm.codec.Ver32;
import io.ferry.pldm.dma.DmaEngine;
import io.ferry.pldm.dma.DmaPlan;
import io.ferry.pldm.handler.HandlerRegistry;
import io.ferry.pldm.mctp.MctpConfig;
import io.ferry.pldm.mctp.MctpLink;
import io.ferry.pldm.mctp.MctpLinkListener;
import io.ferry.pldm.mctp.MctpReceiver;
import io.ferry.pldm.mctp.MctpTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PLDM responder and transfer engine, the {@link TransferService} of one node.
 *
 * <p><b>What it answers.</b> Every message from the transports it {@link #serve serves} goes
 * through {@link PldmRequestDecoder}; decode errors are answered in libpldm's forms. Base: GetTID,
 * GetPLDMTypes (base, file, OEM), GetPLDMVersion (base 1.1.0, file and IBM file I/O 1.0.0; single part),
 * GetPLDMCommands. IBM OEM file I/O: GetFileTable over the configured {@link FileTable};
 * ReadFile/WriteFile and ReadFileByType/WriteFileByType inline (at most
 * {@link TransferEngineConfig#maxInlineLength()} bytes, reads clipped to it);
 * Read/WriteFile{Into,From}Memory and Read/WriteFileByType{Into,From}Memory by DMA, each a
 * {@link DmaTransfer}; NewFileAvailable and FileAck to the handlers. DSP0242 (type 0x07): DfOpen,
 * MultipartReceive, DfHeartbeat and DfClose over the file table ({@link DfSessions}).
 * NegotiateTransferParameters is answered {@code ERROR_UNSUPPORTED_PLDM_CMD}. Responses and datagrams are not answered: a response to one
 * of this engine's own NewFileAvailable requests ({@link #offerFile}) is matched by instance id,
 * anything else is counted as a stray and dropped.
 *
 * <p><b>Checks, in openbmc/pldm's order:</b> file type (0x89) -> handle (0x86) -> range (0x87;
 * reads then clipped to the file's end) -> for DMA, the length rule after clipping (zero or not a
 * multiple of 16: {@code ERROR_INVALID_LENGTH}) -> open. A DMA longer than 8 MiB - 4 KiB is
 * chunked by the {@link DmaEngine} ({@link DmaPlan}); the answer reports the whole length.
 *
 * <p><b>Threading.</b> One {@link EventCenter} owns the engine: every transport passed to
 * {@link #serve} must be started on it, receivers and link listeners run on it, and so do all
 * transfers, timers and handler calls; nothing blocks it (file data moves by bounded positional
 * I/O, inline requests are small, DMA copies are sliced by the engine). {@link #transfers()},
 * {@link #counters()}, {@link #handlers()}, the listener methods, {@link #offerFile} and
 * {@link #close()} may be called from any thread: the snapshots are immutable objects published
 * through volatile fields (transfers: at every start and end, and every progress interval),
 * counters are single-writer volatile longs.
 *
 * <p><b>Lifecycle.</b> Build, {@link #serve} each transport (which this engine does not own or
 * close), start the transports on the center. {@link #close()} abandons running transfers
 * (handlers get {@code transferFailed}, nothing is answered), fails pending offers, and completes
 * {@link #closeFuture()}; if the center is already shut down this happens on the closing thread.
 * Close the engine before or after stopping the center, and close the DMA engine after it.
 */
public final class TransferEngine implements TransferService, MctpReceiver, MctpLinkListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransferEngine.class);
    /** PLDM base version answered: 1.1.0 (as openbmc/pldm). */
    static final int BASE_VERSION = Ver32.of(1, 1, 0, 0);
    /** IBM OEM file I/O version answered: 1.0.0. */
    static final int OEM_VERSION = Ver32.of(1, 0, 0, 0);

    private final TransferEngineConfig config;
    private final EventCenter center;
    private final HandlerRegistry registry;
    private final DmaEngine dma;
    private final FileTable fileTable;
    private final FileTableHandler fileTableHandler;
    private final DfSessions dfSessions;
    private final List<MctpTransport> transports = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<TransferListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    /** Loop thread (and the closing thread once the center is gone): id -> running transfer. */
    private final Map<Long, DmaTransfer> running = new ConcurrentHashMap<>();
    /** Loop thread: the link each eid last sent a request on (for {@link #offerFile}). */
    private final Map<Integer, MctpLink> linkByEid = new HashMap<>();
    /** Loop thread: offers waiting for their response or FileAck, by instance id. */
    private final Offer[] offers = new Offer[PldmHeader.INSTANCE_ID_MAX + 1];
    private int nextOfferInstance;

    // Loop-thread flyweights and buffers: a request is decoded and answered without allocation.
    private final PldmRequestDecoder decoder = new PldmRequestDecoder();
    private final ByteBuffer out;
    private final GetTidResponse tidResponse = new GetTidResponse();
    private final GetPldmTypesResponse typesResponse = new GetPldmTypesResponse();
    private final GetPldmVersionResponse versionResponse = new GetPldmVersionResponse();
    private final GetPldmCommandsResponse commandsResponse = new GetPldmCommandsResponse();
    private final GetFileTableResponse fileTableResponse = new GetFileTableResponse();
    private final FileLengthResponse lengthResponse = new FileLengthResponse();
    private final CcOnlyResponse ccResponse = new CcOnlyResponse();
    private final NewFileAvailableRequest offerRequest = new NewFileAvailableRequest();

    private long nextTransferId = 1;
    private TimeEvent progressTimer;
    private volatile List<TransferInfo> snapshot = List.of();
    private volatile boolean closed;

    // Single-writer (loop thread) counters.
    private volatile long completed;
    private volatile long failed;
    private volatile long timedOut;
    private volatile long abandoned;
    private volatile long bytes;
    private volatile long requests;
    private volatile long refused;
    private volatile long strays;

    /**
     * @param config settings; the file table directory is created (0700) when missing
     * @param center the event loop that owns the engine, its transports and transfers
     * @param registry the file-type handlers (the OSGi component feeds it the whiteboard)
     * @param dma the DMA engine the memory commands use
     * @throws IOException if the file table directory cannot be created
     */
    public TransferEngine(TransferEngineConfig config, EventCenter center, HandlerRegistry registry, DmaEngine dma)
            throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.center = Objects.requireNonNull(center, "center");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.dma = Objects.requireNonNull(dma, "dma");
        this.fileTable = config.fileTableDirectory() == null ? null : new FileTable(config.fileTableDirectory());
        this.fileTableHandler = fileTable == null ? null : new FileTableHandler(fileTable);
        this.dfSessions = new DfSessions(fileTableHandler, center, config.timeoutMillis(), config.maxInlineLength());
        this.out = ByteBuffer.allocateDirect(Math.max(MctpConfig.MAX_MESSAGE_LENGTH_DEFAULT,
                config.maxInlineLength() + 64));
    }

    /** @return the settings. */
    public TransferEngineConfig config() {
        return config;
    }

    /** @return the event center that owns the engine. */
    public EventCenter center() {
        return center;
    }

    /** @return the file table, or null when none is configured. */
    public FileTable fileTable() {
        return fileTable;
    }

    /**
     * Serves {@code transport}: the engine becomes its link listener (so a terminus that goes away
     * abandons its transfers). The transport must have been built with this engine as its
     * {@link MctpReceiver} and be started on {@link #center()}. Any thread, before the transport starts.
     */
    public void serve(MctpTransport transport) {
        transport.setLinkListener(this);
        transports.add(transport);
    }

    // ---- TransferService ---------------------------------------------------------------------

    @Override
    public List<TransferInfo> transfers() {
        return snapshot;
    }

    @Override
    public List<HandlerInfo> handlers() {
        List<HandlerInfo> list = new ArrayList<>();
        for (FileTypeHandler h : registry.handlers()) {
            list.add(new HandlerInfo(h.fileType(), h.name(), h.getClass().getName()));
        }
        return List.copyOf(list);
    }

    @Override
    public TransferCounters counters() {
        return new TransferCounters(running.size(), completed, failed, timedOut, abandoned, bytes, requests, refused,
                strays);
    }

    @Override
    public void addListener(TransferListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.addIfAbsent(listener);
    }

    @Override
    public void removeListener(TransferListener listener) {
        listeners.remove(listener);
    }

    /** @return DMA transfers running now (any thread). */
    public int inFlight() {
        return running.size();
    }

    // ---- receiving ---------------------------------------------------------------------------

    @Override
    public void onMessage(MctpLink from, int eid, ByteBuffer message) {
        if (!center.inEventLoop()) {
            LOG.error("{}: a message arrived off the engine's thread (a transport started on another center?); dropped",
                    this);
            return;
        }
        if (closed) {
            return;
        }
        int at = message.position();
        int length = message.remaining();
        int cc = decoder.decode(message, at, length);
        if (!decoder.shouldRespond()) {
            if (length >= PldmHeader.LENGTH && !PldmHeader.isRequest(message, at) && onResponse(eid, message, at, length)) {
                return;
            }
            strays++;
            return;
        }
        requests++;
        linkByEid.put(eid, from);
        if (cc != CompletionCodes.SUCCESS) {
            refused++;
            sendError(from, eid, cc);
            return;
        }
        try {
            dispatch(from, eid, message, at, length);
        } catch (RuntimeException e) {
            LOG.error("{}: failed on {} from eid {}", this, decoder.kind(), eid, e);
            sendError(from, eid, CompletionCodes.ERROR);
        }
    }

    private void dispatch(MctpLink from, int eid, ByteBuffer message, int at, int length) {
        int iid = decoder.instanceId();
        switch (decoder.kind()) {
            case GET_TID:
                send(from, eid, tidResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.SUCCESS, config.tid()));
                return;
            case GET_PLDM_TYPES:
                send(from, eid, typesResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.SUCCESS,
                        (1L << PldmTypes.BASE) | (1L << PldmTypes.FILE) | (1L << PldmTypes.OEM)));
                return;
            case GET_PLDM_VERSION:
                getVersion(from, eid, iid, decoder.getPldmVersionRequest());
                return;
            case GET_PLDM_COMMANDS:
                getCommands(from, eid, iid, decoder.getPldmCommandsRequest());
                return;
            case GET_FILE_TABLE:
                getFileTable(from, eid, iid, decoder.getFileTableRequest());
                return;
            case READ_FILE:
            case WRITE_FILE: {
                ReadWriteFileRequest r = decoder.readWriteFileRequest();
                if (fileTableHandler == null) {
                    refuse(from, eid, CompletionCodes.IBM_INVALID_FILE_HANDLE);
                } else if (decoder.kind() == PldmRequestKind.READ_FILE) {
                    inlineRead(from, eid, iid, IbmFileIoCommands.READ_FILE, fileTableHandler, r.fileHandle(), r.fileOffset(),
                            r.length());
                } else {
                    inlineWrite(from, eid, iid, IbmFileIoCommands.WRITE_FILE, fileTableHandler, r.fileHandle(),
                            r.fileOffset(), r.length(), message, r.dataIndex());
                }
                return;
            }
            case READ_FILE_BY_TYPE:
            case WRITE_FILE_BY_TYPE: {
                ReadWriteFileByTypeRequest r = decoder.readWriteFileByTypeRequest();
                FileTypeHandler h = registry.handler(r.fileType());
                if (h == null) {
                    refuse(from, eid, CompletionCodes.IBM_INVALID_FILE_TYPE);
                } else if (decoder.kind() == PldmRequestKind.READ_FILE_BY_TYPE) {
                    inlineRead(from, eid, iid, IbmFileIoCommands.READ_FILE_BY_TYPE, h, r.fileHandle(), r.fileOffset(),
                            r.length());
                } else {
                    inlineWrite(from, eid, iid, IbmFileIoCommands.WRITE_FILE_BY_TYPE, h, r.fileHandle(), r.fileOffset(),
                            r.length(), message, r.dataIndex());
                }
                return;
            }
            case READ_FILE_INTO_MEMORY:
            case WRITE_FILE_FROM_MEMORY: {
                ReadWriteFileMemoryRequest r = decoder.readWriteFileMemoryRequest();
                if (fileTableHandler == null) {
                    refuse(from, eid, CompletionCodes.IBM_INVALID_FILE_HANDLE);
                    return;
                }
                boolean toHost = decoder.kind() == PldmRequestKind.READ_FILE_INTO_MEMORY;
                startDma(from, eid, iid, decoder.command(), toHost ? "ReadFileIntoMemory" : "WriteFileFromMemory",
                        FileTableHandler.NO_FILE_TYPE, fileTableHandler, r.fileHandle(), r.fileOffset(), r.length(),
                        r.address(), toHost);
                return;
            }
            case READ_FILE_BY_TYPE_INTO_MEMORY:
            case WRITE_FILE_BY_TYPE_FROM_MEMORY: {
                ReadWriteFileByTypeMemoryRequest r = decoder.readWriteFileByTypeMemoryRequest();
                FileTypeHandler h = registry.handler(r.fileType());
                if (h == null) {
                    refuse(from, eid, CompletionCodes.IBM_INVALID_FILE_TYPE);
                    return;
                }
                boolean toHost = decoder.kind() == PldmRequestKind.READ_FILE_BY_TYPE_INTO_MEMORY;
                startDma(from, eid, iid, decoder.command(),
                        toHost ? "ReadFileByTypeIntoMemory" : "WriteFileByTypeFromMemory", r.fileType(), h,
                        r.fileHandle(), r.fileOffset(), r.length(), r.address(), toHost);
                return;
            }
            case NEW_FILE_AVAILABLE:
            case NEW_FILE_AVAILABLE_WITH_META_DATA: {
                NewFileAvailableRequest r = decoder.newFileAvailableRequest();
                int cc = registry.newFileAvailable(r.fileType(), r.fileHandle(), r.length());
                sendCc(from, eid, iid, decoder.command(), cc);
                return;
            }
            case FILE_ACK:
            case FILE_ACK_WITH_META_DATA: {
                FileAckRequest r = decoder.fileAckRequest();
                int cc = registry.fileAck(r.fileType(), r.fileHandle(), r.fileStatus());
                offerAcknowledged(eid, r.fileType(), r.fileHandle(), r.fileStatus());
                sendCc(from, eid, iid, decoder.command(), cc);
                return;
            }
            case DF_OPEN:
                send(from, eid, dfSessions.dfOpen(from, iid, decoder.dfOpenRequest(), out));
                return;
            case DF_CLOSE:
                send(from, eid, ccResponse.wrap(out, 0, out.capacity()).encode(iid, PldmTypes.FILE,
                        decoder.command(), dfSessions.dfClose(decoder.dfCloseRequest())));
                return;
            case DF_HEARTBEAT:
                send(from, eid, dfSessions.dfHeartbeat(iid, decoder.dfHeartbeatRequest(), out));
                return;
            case MULTIPART_RECEIVE:
                send(from, eid, dfSessions.multipartReceive(iid, decoder.multipartReceiveRequest(), out));
                return;
            default:
                // NegotiateTransferParameters: not served (parts are at most maxInlineLength).
                refuse(from, eid, CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD);
        }
    }

    private void getVersion(MctpLink from, int eid, int iid, GetPldmVersionRequest r) {
        if (r.transferOperationFlag() != TransferFlags.GET_FIRST_PART) {
            refuse(from, eid, CompletionCodes.GET_PLDM_VERSION_INVALID_TRANSFER_OPERATION_FLAG);
            return;
        }
        int version = r.type() == PldmTypes.BASE ? BASE_VERSION
                : r.type() == PldmTypes.OEM || r.type() == PldmTypes.FILE ? OEM_VERSION : 0;
        if (version == 0) {
            refuse(from, eid, CompletionCodes.GET_PLDM_VERSION_INVALID_PLDM_TYPE_IN_REQUEST_DATA);
            return;
        }
        send(from, eid, versionResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.SUCCESS, 0,
                TransferFlags.START_AND_END, version, false));
    }

    private void getCommands(MctpLink from, int eid, int iid, GetPldmCommandsRequest r) {
        long word0;
        if (r.type() == PldmTypes.BASE) {
            word0 = bit(BaseCommands.GET_TID) | bit(BaseCommands.GET_PLDM_VERSION) | bit(BaseCommands.GET_PLDM_TYPES)
                    | bit(BaseCommands.GET_PLDM_COMMANDS) | bit(BaseCommands.MULTIPART_RECEIVE);
        } else if (r.type() == PldmTypes.FILE) {
            word0 = bit(io.ferry.pldm.codec.FileTransferCommands.DF_OPEN)
                    | bit(io.ferry.pldm.codec.FileTransferCommands.DF_CLOSE)
                    | bit(io.ferry.pldm.codec.FileTransferCommands.DF_HEARTBEAT);
        } else if (r.type() == PldmTypes.OEM) {
            word0 = bit(IbmFileIoCommands.GET_FILE_TABLE) | bit(IbmFileIoCommands.READ_FILE)
                    | bit(IbmFileIoCommands.WRITE_FILE) | bit(IbmFileIoCommands.READ_FILE_INTO_MEMORY)
                    | bit(IbmFileIoCommands.WRITE_FILE_FROM_MEMORY) | bit(IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY)
                    | bit(IbmFileIoCommands.WRITE_FILE_BY_TYPE_FROM_MEMORY) | bit(IbmFileIoCommands.NEW_FILE_AVAILABLE)
                    | bit(IbmFileIoCommands.READ_FILE_BY_TYPE) | bit(IbmFileIoCommands.WRITE_FILE_BY_TYPE)
                    | bit(IbmFileIoCommands.FILE_ACK) | bit(IbmFileIoCommands.NEW_FILE_AVAILABLE_WITH_META_DATA)
                    | bit(IbmFileIoCommands.FILE_ACK_WITH_META_DATA);
        } else {
            refuse(from, eid, CompletionCodes.GET_PLDM_COMMANDS_INVALID_PLDM_TYPE_IN_REQUEST_DATA);
            return;
        }
        send(from, eid, commandsResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.SUCCESS, word0, 0, 0, 0));
    }

    private static long bit(int command) {
        return 1L << command;
    }

    private void getFileTable(MctpLink from, int eid, int iid, GetFileTableRequest r) {
        if (r.tableType() != IbmFileIoCommands.FILE_ATTRIBUTE_TABLE) {
            refuse(from, eid, CompletionCodes.IBM_INVALID_FILE_TABLE_TYPE);
            return;
        }
        if (fileTable == null || fileTable.rescan() == 0) {
            refuse(from, eid, CompletionCodes.IBM_FILE_TABLE_UNAVAILABLE);
            return;
        }
        int tableIndex = PldmHeader.LENGTH + GetFileTableResponse.TABLE_OFFSET;
        int tableLength = fileTable.encode(out, tableIndex, out.capacity() - tableIndex);
        if (tableLength < 0) {
            LOG.warn("{}: the file table does not fit one response", this);
            refuse(from, eid, CompletionCodes.ERROR);
            return;
        }
        send(from, eid, fileTableResponse.wrap(out, 0, out.capacity()).encodeInPlace(iid, 0, TransferFlags.START_AND_END,
                tableLength));
    }

    // ---- inline transfers --------------------------------------------------------------------

    private void inlineRead(MctpLink from, int eid, int iid, int command, FileTypeHandler h, long handle, long offset,
            long length) {
        Resolution r = h.resolve(handle);
        if (!r.isResolved()) {
            refuse(from, eid, r.code());
            return;
        }
        int cc = h.checkRange(r, offset, length, false);
        if (cc != CompletionCodes.SUCCESS) {
            refuse(from, eid, cc);
            return;
        }
        long n = h.clampLength(r, offset, Math.min(length, config.maxInlineLength()));
        OpenResult o = h.openRead(r);
        if (o.code() != CompletionCodes.SUCCESS) {
            refuse(from, eid, o.code());
            return;
        }
        int dataIndex = PldmHeader.LENGTH + FileLengthResponse.DATA_OFFSET;
        int got = 0;
        try (FileChannel ch = o.channel()) {
            ByteBuffer view = out.duplicate();
            view.limit(dataIndex + (int) n).position(dataIndex);
            while (view.hasRemaining()) {
                int k = ch.read(view, offset + got);
                if (k < 0) {
                    break; // the file shrank since the check: answer what is there
                }
                got += k;
            }
        } catch (IOException e) {
            LOG.warn("{}: inline read of {} failed: {}", this, r, e.toString());
            h.transferFailed(r, true);
            failed++;
            sendError(from, eid, CompletionCodes.ERROR);
            return;
        }
        cc = h.postTransfer(r, true, got);
        if (cc != CompletionCodes.SUCCESS) {
            failed++;
            sendError(from, eid, cc);
            return;
        }
        completed++;
        bytes += got;
        send(from, eid, lengthResponse.wrap(out, 0, out.capacity()).encode(iid, command, CompletionCodes.SUCCESS, got));
    }

    private void inlineWrite(MctpLink from, int eid, int iid, int command, FileTypeHandler h, long handle, long offset,
            long length, ByteBuffer message, int dataIndex) {
        if (length > config.maxInlineLength()) {
            refuse(from, eid, CompletionCodes.ERROR_INVALID_LENGTH);
            return;
        }
        Resolution r = h.resolve(handle);
        if (!r.isResolved()) {
            refuse(from, eid, r.code());
            return;
        }
        int cc = h.checkRange(r, offset, length, true);
        if (cc != CompletionCodes.SUCCESS) {
            refuse(from, eid, cc);
            return;
        }
        OpenResult o = h.openWrite(r);
        if (o.code() != CompletionCodes.SUCCESS) {
            refuse(from, eid, o.code());
            return;
        }
        try (FileChannel ch = o.channel()) {
            ByteBuffer view = message.duplicate();
            view.limit(dataIndex + (int) length).position(dataIndex);
            long pos = offset;
            while (view.hasRemaining()) {
                pos += ch.write(view, pos);
            }
        } catch (IOException e) {
            LOG.warn("{}: inline write of {} failed: {}", this, r, e.toString());
            h.transferFailed(r, false);
            failed++;
            sendError(from, eid, CompletionCodes.ERROR);
            return;
        }
        cc = h.postTransfer(r, false, length);
        if (cc == CompletionCodes.SUCCESS) {
            completed++;
            bytes += length;
        } else {
            failed++;
        }
        send(from, eid, lengthResponse.wrap(out, 0, out.capacity()).encode(iid, command, cc, length));
    }

    // ---- DMA transfers -----------------------------------------------------------------------

    private void startDma(MctpLink from, int eid, int iid, int command, String name, int fileType, FileTypeHandler h,
            long handle, long offset, long length, long address, boolean toHost) {
        if (running.size() >= config.maxTransfers()) {
            refuse(from, eid, CompletionCodes.ERROR_NOT_READY);
            return;
        }
        Resolution r = h.resolve(handle);
        if (!r.isResolved()) {
            refuse(from, eid, r.code());
            return;
        }
        int cc = h.checkRange(r, offset, length, !toHost);
        if (cc != CompletionCodes.SUCCESS) {
            refuse(from, eid, cc);
            return;
        }
        long n = toHost ? h.clampLength(r, offset, length) : length;
        cc = DmaPlan.check(n); // the 16-byte rule, after clipping, before chunking
        if (cc != CompletionCodes.SUCCESS) {
            refuse(from, eid, cc);
            return;
        }
        OpenResult o = toHost ? h.openRead(r) : h.openWrite(r);
        if (o.code() != CompletionCodes.SUCCESS) {
            refuse(from, eid, o.code());
            return;
        }
        DmaTransfer t = new DmaTransfer(this, nextTransferId++, from, eid, iid, command, name, fileType,
                h == fileTableHandler ? null : h, r, toHost ? TransferDirection.TO_HOST : TransferDirection.FROM_HOST,
                offset, n, address);
        running.put(t.id(), t);
        t.start(o.channel(), dma, center, config.timeoutMillis());
        publish();
        TransferInfo info = t.info();
        for (TransferListener l : listeners) {
            try {
                l.transferStarted(info);
            } catch (RuntimeException e) {
                LOG.warn("{}: listener {} failed", this, l, e);
            }
        }
        if (progressTimer == null) {
            progressTimer = center.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(config.progressIntervalMillis()),
                    this::progress);
        }
    }

    /** A transfer ended (any of its four endings); loop thread, or the closing thread after shutdown. */
    void ended(DmaTransfer t) {
        running.remove(t.id());
        TransferInfo info = t.info();
        switch (t.state()) {
            case COMPLETED:
                completed++;
                bytes += info.length();
                break;
            case TIMED_OUT:
                timedOut++;
                break;
            case ABANDONED:
                abandoned++;
                break;
            default:
                failed++;
        }
        publish();
        for (TransferListener l : listeners) {
            try {
                l.transferEnded(info);
            } catch (RuntimeException e) {
                LOG.warn("{}: listener {} failed", this, l, e);
            }
        }
    }

    private void progress() {
        progressTimer = null;
        if (closed || running.isEmpty()) {
            return;
        }
        List<TransferInfo> list = new ArrayList<>(running.size());
        for (DmaTransfer t : running.values()) {
            TransferInfo info = t.info();
            list.add(info);
            if (info.bytesDone() != t.reportedBytes) {
                t.reportedBytes = info.bytesDone();
                for (TransferListener l : listeners) {
                    try {
                        l.transferProgress(info);
                    } catch (RuntimeException e) {
                        LOG.warn("{}: listener {} failed", this, l, e);
                    }
                }
            }
        }
        list.sort((a, b) -> Long.compare(a.id(), b.id()));
        snapshot = List.copyOf(list);
        progressTimer = center.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(config.progressIntervalMillis()),
                this::progress);
    }

    private void publish() {
        List<TransferInfo> list = new ArrayList<>(running.size());
        for (DmaTransfer t : running.values()) {
            list.add(t.info());
        }
        list.sort((a, b) -> Long.compare(a.id(), b.id()));
        snapshot = List.copyOf(list);
    }

    @Override
    public void onLinkClosed(MctpLink link) {
        if (!center.inEventLoop()) {
            center.execute(() -> onLinkClosed(link));
            return;
        }
        linkByEid.values().removeIf(l -> l == link);
        dfSessions.linkClosed(link);
        for (DmaTransfer t : new ArrayList<>(running.values())) {
            if (t.link() == link) {
                t.abandon("the requester's link closed");
            }
        }
        for (int i = 0; i < offers.length; i++) {
            Offer o = offers[i];
            if (o != null && o.link == link) {
                endOffer(i, null, new IOException("terminus eid " + o.eid + " went away"));
            }
        }
    }

    // ---- answers -----------------------------------------------------------------------------

    /** Answers a DMA command with {@code cc} and {@code length}; called by {@link DmaTransfer}. */
    void answerLength(MctpLink link, int eid, int iid, int command, int cc, long length) {
        if (!link.isOpen()) {
            return;
        }
        send(link, eid, lengthResponse.wrap(out, 0, out.capacity()).encode(iid, command, cc, length));
    }

    private void sendCc(MctpLink from, int eid, int iid, int command, int cc) {
        send(from, eid, ccResponse.wrap(out, 0, out.capacity()).encode(iid, PldmTypes.OEM, command, cc));
    }

    /** A refusal before any transfer started. */
    private void refuse(MctpLink from, int eid, int cc) {
        refused++;
        sendError(from, eid, cc);
    }

    private void sendError(MctpLink from, int eid, int cc) {
        send(from, eid, decoder.encodeErrorResponse(out, 0, out.capacity(), cc));
    }

    private void send(MctpLink link, int eid, int length) {
        if (length < 0) {
            LOG.error("{}: could not encode a response: {}", this, length);
            return;
        }
        out.limit(length).position(0);
        int rc = link.send(eid, out);
        out.clear();
        if (rc != MctpTransport.OK) {
            LOG.debug("{}: response to eid {} not sent: {}", this, eid, MctpTransport.describe(rc));
        }
    }

    // ---- offers (BMC-initiated NewFileAvailable) ---------------------------------------------

    /** A NewFileAvailable this engine sent, waiting for the response and then the host's FileAck. */
    private static final class Offer {
        final CompletableFuture<Integer> future = new CompletableFuture<>();
        final int eid;
        final int fileType;
        final long handle;
        MctpLink link;
        TimeEvent timer;
        boolean accepted;

        Offer(int eid, int fileType, long handle) {
            this.eid = eid;
            this.fileType = fileType;
            this.handle = handle;
        }
    }

    @Override
    public CompletionStage<Integer> offerFile(int terminusEid, int fileType, long handle, long length) {
        Offer offer = new Offer(terminusEid, fileType, handle);
        if (closed || !center.execute(() -> startOffer(offer, length))) {
            offer.future.completeExceptionally(new IOException("the transfer engine is closed"));
        }
        return offer.future;
    }

    private void startOffer(Offer offer, long length) {
        if (closed) {
            offer.future.completeExceptionally(new IOException("the transfer engine is closed"));
            return;
        }
        MctpLink link = linkByEid.get(offer.eid);
        if (link == null || !link.isOpen()) {
            offer.future.completeExceptionally(new IOException("no terminus eid " + offer.eid + " has spoken to this node"));
            return;
        }
        int iid = -1;
        for (int i = 0; i < offers.length; i++) {
            int candidate = (nextOfferInstance + i) % offers.length;
            if (offers[candidate] == null) {
                iid = candidate;
                break;
            }
        }
        if (iid < 0) {
            offer.future.completeExceptionally(new IOException("32 offers already pending"));
            return;
        }
        nextOfferInstance = (iid + 1) % offers.length;
        int n = offerRequest.wrap(out, 0, out.capacity()).encode(iid, offer.fileType, offer.handle, length);
        if (n < 0) {
            offer.future.completeExceptionally(new IllegalArgumentException("cannot encode NewFileAvailable: " + n));
            return;
        }
        out.limit(n).position(0);
        int rc = link.send(offer.eid, out);
        out.clear();
        if (rc != MctpTransport.OK) {
            offer.future.completeExceptionally(new IOException("send failed: " + MctpTransport.describe(rc)));
            return;
        }
        offer.link = link;
        offers[iid] = offer;
        int slot = iid;
        offer.timer = center.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(config.offerTimeoutMillis()),
                () -> endOffer(slot, null, new TimeoutException("no FileAck within " + config.offerTimeoutMillis() + " ms")));
    }

    /** @return true if the message answered one of our offers. */
    private boolean onResponse(int eid, ByteBuffer message, int at, int length) {
        int iid = PldmHeader.instanceId(message, at);
        Offer o = offers[iid];
        if (o == null || o.accepted || o.eid != eid || PldmHeader.pldmType(message, at) != PldmTypes.OEM
                || PldmHeader.command(message, at) != IbmFileIoCommands.NEW_FILE_AVAILABLE) {
            return false;
        }
        if (ccResponse.wrap(message, at, length).validate() != CompletionCodes.SUCCESS) {
            return false;
        }
        int cc = ccResponse.completionCode();
        if (cc != CompletionCodes.SUCCESS) {
            endOffer(iid, null, new PldmException(cc, "NewFileAvailable type " + o.fileType + " handle " + o.handle));
        } else {
            o.accepted = true;
        }
        return true;
    }

    private void offerAcknowledged(int eid, int fileType, long handle, int status) {
        for (int i = 0; i < offers.length; i++) {
            Offer o = offers[i];
            if (o != null && o.accepted && o.eid == eid && o.fileType == fileType && o.handle == handle) {
                endOffer(i, status, null);
                return;
            }
        }
    }

    private void endOffer(int iid, Integer status, Throwable error) {
        Offer o = offers[iid];
        if (o == null) {
            return;
        }
        offers[iid] = null;
        if (o.timer != null) {
            o.timer.cancel();
        }
        if (error != null) {
            o.future.completeExceptionally(error);
        } else {
            o.future.complete(status);
        }
    }

    // ---- shutdown ----------------------------------------------------------------------------

    /** @return a future completed once {@link #close()} freed every transfer. */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** Abandons every transfer and offer; idempotent; any thread. Does not close the transports or the DMA engine. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (center.inEventLoop()) {
            shutdown();
        } else if (!center.execute(this::shutdown)) {
            // The center is gone: nothing runs the transfers any more; free them here.
            for (DmaTransfer t : new ArrayList<>(running.values())) {
                t.releaseAfterCenterShutdown();
                running.remove(t.id());
                abandoned++;
            }
            for (int i = 0; i < offers.length; i++) {
                Offer o = offers[i];
                if (o != null) {
                    offers[i] = null;
                    o.future.completeExceptionally(new IOException("the transfer engine closed"));
                }
            }
            dfSessions.closeAll();
            snapshot = List.of();
            closeFuture.complete(null);
        }
    }

    /** @return DSP0242 file descriptors open now; loop thread (or approximate). */
    public int openFileDescriptors() {
        return dfSessions.open();
    }

    private void shutdown() {
        if (progressTimer != null) {
            progressTimer.cancel();
            progressTimer = null;
        }
        for (DmaTransfer t : new ArrayList<>(running.values())) {
            t.abandon("the transfer engine closed");
        }
        dfSessions.closeAll();
        for (int i = 0; i < offers.length; i++) {
            if (offers[i] != null) {
                endOffer(i, null, new IOException("the transfer engine closed"));
            }
        }
        snapshot = List.of();
        closeFuture.complete(null);
    }

    @Override
    public String toString() {
        return "PLDM transfer engine tid " + config.tid() + " (" + running.size() + " running)";
    }
}
