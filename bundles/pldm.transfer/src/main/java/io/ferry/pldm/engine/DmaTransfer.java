package io.ferry.pldm.engine;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.TimeEvent;
import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.Resolution;
import io.ferry.api.pldm.TransferDirection;
import io.ferry.api.pldm.TransferInfo;
import io.ferry.api.pldm.TransferState;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.dma.DmaCompletion;
import io.ferry.pldm.dma.DmaEngine;
import io.ferry.pldm.dma.DmaOperation;
import io.ferry.pldm.dma.DmaRequest;
import io.ferry.pldm.dma.DmaStatus;
import io.ferry.pldm.mctp.MctpLink;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DMA transfer (the seed's "file object" done right): it owns the handler and its
 * {@link Resolution}, the open {@link FileChannel}, the {@link DmaOperation} (which moves the
 * request chunk after chunk), the timeout timer, and the requester's {@link MctpLink}, eid and
 * instance id. Exactly one of four endings runs, once, and frees everything it owns:
 * <ul>
 *   <li><b>completion</b>: the DMA reported success -> the channel is closed ->
 *       {@link FileTypeHandler#postTransfer} -> its code is answered (SUCCESS carries the whole
 *       length) -> {@link TransferState#COMPLETED} or {@link TransferState#FAILED};</li>
 *   <li><b>DMA error</b>: channel closed -> {@link FileTypeHandler#transferFailed} -> the error
 *       answered ({@link DmaStatus#toCompletionCode}) -> {@code FAILED};</li>
 *   <li><b>timeout</b>: the DMA is cancelled -> channel closed -> {@code transferFailed} ->
 *       {@code ERROR} answered -> {@link TransferState#TIMED_OUT};</li>
 *   <li><b>abandon</b> (the requester's link closed, or the engine closed): DMA cancelled,
 *       channel closed, {@code transferFailed}, nothing answered -> {@link TransferState#ABANDONED}.</li>
 * </ul>
 *
 * <p><b>Threading:</b> confined to the engine's event-loop thread (the DMA completion and the
 * timer run there), except {@link #releaseAfterCenterShutdown}, used when that thread is gone.
 */
public final class DmaTransfer implements DmaCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(DmaTransfer.class);

    private final TransferEngine engine;
    private final long id;
    private final MctpLink link;
    private final int eid;
    private final int instanceId;
    private final int command;
    private final String commandName;
    private final int fileType;
    private final FileTypeHandler handler;
    private final Resolution resolution;
    private final TransferDirection direction;
    private final long offset;
    private final long length;
    private final long hostAddress;
    private final Instant started = Instant.now();
    private FileChannel channel;
    private DmaOperation operation;
    private TimeEvent timer;
    private volatile TransferState state = TransferState.RUNNING;
    private int answered = -1;
    /** Bytes reported by the last progress event. */
    long reportedBytes;

    DmaTransfer(TransferEngine engine, long id, MctpLink link, int eid, int instanceId, int command, String commandName,
            int fileType, FileTypeHandler handler, Resolution resolution, TransferDirection direction, long offset,
            long length, long hostAddress) {
        this.engine = engine;
        this.id = id;
        this.link = link;
        this.eid = eid;
        this.instanceId = instanceId;
        this.command = command;
        this.commandName = commandName;
        this.fileType = fileType;
        this.handler = handler;
        this.resolution = resolution;
        this.direction = direction;
        this.offset = offset;
        this.length = length;
        this.hostAddress = hostAddress;
    }

    /** Takes ownership of {@code ch}, arms the timer and starts the DMA; on the loop thread. */
    void start(FileChannel ch, DmaEngine dma, EventCenter center, long timeoutMillis) {
        channel = ch;
        timer = center.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(timeoutMillis), this::onTimeout);
        DmaRequest request = direction == TransferDirection.TO_HOST ? DmaRequest.toHost(ch, offset, length, hostAddress)
                : DmaRequest.fromHost(hostAddress, length, ch, offset);
        operation = dma.start(request, center, this);
    }

    /** The DMA ended (on the loop thread; never inside {@code start}). */
    @Override
    public void onComplete(DmaOperation op, int status, long bytesTransferred) {
        if (state != TransferState.RUNNING) {
            return; // a timeout or an abandon cancelled it and already ended the transfer
        }
        cancelTimer();
        closeChannel();
        int cc;
        if (status == DmaStatus.SUCCESS) {
            cc = postTransfer();
            state = cc == CompletionCodes.SUCCESS ? TransferState.COMPLETED : TransferState.FAILED;
        } else {
            LOG.debug("transfer {}: DMA ended with {}", id, DmaStatus.describe(status));
            failed();
            cc = DmaStatus.toCompletionCode(status);
            state = TransferState.FAILED;
        }
        answer(cc);
    }

    private void onTimeout() {
        timer = null;
        if (state != TransferState.RUNNING) {
            return;
        }
        LOG.warn("transfer {} ({} eid {} handle {}) timed out after {} of {} bytes; answering ERROR", id, commandName,
                eid, resolution.handle(), bytesDone(), length);
        state = TransferState.TIMED_OUT;
        cancelOperation();
        closeChannel();
        failed();
        answer(CompletionCodes.ERROR);
    }

    /** The requester went away or the engine closes: free everything, answer nothing. Loop thread. */
    void abandon(String why) {
        if (state != TransferState.RUNNING) {
            return;
        }
        LOG.info("transfer {} ({} eid {}) abandoned: {}", id, commandName, eid, why);
        state = TransferState.ABANDONED;
        cancelTimer();
        cancelOperation();
        closeChannel();
        failed();
        engine.ended(this);
    }

    /**
     * The engine's center is gone (no thread will run the DMA or the timer again): close the
     * channel and tell the handler, on the calling thread. The DMA engine's own close releases the
     * operation.
     */
    synchronized void releaseAfterCenterShutdown() {
        if (state != TransferState.RUNNING) {
            return;
        }
        state = TransferState.ABANDONED;
        closeChannel();
        failed();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void cancelOperation() {
        if (operation != null && !operation.isDone()) {
            operation.cancel(); // calls onComplete, which sees the final state and returns
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("transfer {}: closing the file failed", id, e);
            }
            channel = null;
        }
    }

    private int postTransfer() {
        if (handler == null) {
            return CompletionCodes.SUCCESS;
        }
        try {
            return handler.postTransfer(resolution, direction == TransferDirection.TO_HOST, length);
        } catch (RuntimeException e) {
            LOG.error("transfer {}: {}.postTransfer failed", id, handler, e);
            return CompletionCodes.ERROR;
        }
    }

    private void failed() {
        if (handler == null) {
            return;
        }
        try {
            handler.transferFailed(resolution, direction == TransferDirection.TO_HOST);
        } catch (RuntimeException e) {
            LOG.error("transfer {}: {}.transferFailed failed", id, handler, e);
        }
    }

    /**
     * Ends the transfer with {@code cc}: it leaves the engine's running set (so once the host has
     * its answer, the transfer is no longer in flight), then the answer goes out.
     */
    private void answer(int cc) {
        answered = cc;
        engine.ended(this);
        engine.answerLength(link, eid, instanceId, command, cc, cc == CompletionCodes.SUCCESS ? length : 0);
    }

    /** @return the transfer's id. */
    public long id() {
        return id;
    }

    /** @return the requester's link. */
    public MctpLink link() {
        return link;
    }

    /** @return where the transfer stands (any thread). */
    public TransferState state() {
        return state;
    }

    /** @return bytes moved so far; loop thread. */
    long bytesDone() {
        if (state == TransferState.COMPLETED) {
            return length;
        }
        return operation == null ? 0 : operation.bytesTransferred();
    }

    /** @return a snapshot; loop thread. */
    TransferInfo info() {
        return new TransferInfo(id, eid, commandName, fileType, resolution.handle(), direction, offset, length,
                bytesDone(), state, answered, started);
    }

    @Override
    public String toString() {
        return "transfer " + id + " " + commandName + " eid " + eid + " " + resolution + " " + direction + " " + length
                + " B " + state;
    }
}
