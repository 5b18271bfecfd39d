package io.ferry.pldm.engine;

import io.ferry.api.event.EventCenter;
import io.ferry.api.event.TimeEvent;
import io.ferry.api.pldm.OpenResult;
import io.ferry.api.pldm.Resolution;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.DfCloseRequest;
import io.ferry.pldm.codec.DfHeartbeatRequest;
import io.ferry.pldm.codec.DfHeartbeatResponse;
import io.ferry.pldm.codec.DfOpenRequest;
import io.ferry.pldm.codec.DfOpenResponse;
import io.ferry.pldm.codec.MultipartReceiveRequest;
import io.ferry.pldm.codec.MultipartReceiveResponse;
import io.ferry.pldm.codec.PldmHeader;
import io.ferry.pldm.codec.PldmTypes;
import io.ferry.pldm.codec.TransferFlags;
import io.ferry.pldm.mctp.MctpLink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The DSP0242 (PLDM for File Transfer, type 0x07) read path over the {@link FileTable}: DfOpen
 * maps a file identifier (= file-table handle) to a file descriptor, MultipartReceive with that
 * descriptor as transfer context reads the file in parts of at most the inline length (the data
 * transfer handle of a part is its file offset + 1, so it is never 0), DfHeartbeat keeps a
 * descriptor alive, DfClose frees it. A descriptor idle for the engine's timeout, or whose
 * requester's link closes, is closed. At most {@link #MAX_DESCRIPTORS} at once.
 *
 * <p>Completion codes: unknown identifier {@code DF_INVALID_FILE_IDENTIFIER} (0x86); a file already
 * open {@code DF_FILE_OPEN} (0x89); too many {@code DF_MAX_NUM_FDS_EXCEEDED} (0x88); unknown
 * descriptor {@code DF_INVALID_FILE_DESCRIPTOR} (0x80) for DfClose/DfHeartbeat and
 * {@code ERROR_INVALID_TRANSFER_CONTEXT} for MultipartReceive; a handle other than the one
 * expected {@code ERROR_INVALID_DATA_TRANSFER_HANDLE}; a section offset at or past the end
 * {@code ERROR_INVALID_REQUESTED_SECTION_OFFSET}.
 *
 * <p>Confined to the engine's event-loop thread.
 */
final class DfSessions {
    static final int MAX_DESCRIPTORS = 16;

    private static final class Session {
        final int fd;
        final long fileId;
        final MctpLink link;
        FileChannel channel;
        long size;
        long sectionStartOffset;
        long sectionEnd;
        long nextHandle;
        long lastHandle;
        long lastOffset;
        boolean started;
        TimeEvent idle;

        Session(int fd, long fileId, MctpLink link) {
            this.fd = fd;
            this.fileId = fileId;
            this.link = link;
        }
    }

    private final FileTableHandler files;
    private final EventCenter center;
    private final long idleMillis;
    private final int partLength;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private final DfOpenResponse openResponse = new DfOpenResponse();
    private final DfHeartbeatResponse heartbeatResponse = new DfHeartbeatResponse();
    private final MultipartReceiveResponse partResponse = new MultipartReceiveResponse();
    private int nextFd = 1;

    DfSessions(FileTableHandler files, EventCenter center, long idleMillis, int partLength) {
        this.files = files;
        this.center = center;
        this.idleMillis = idleMillis;
        this.partLength = partLength;
    }

    /** @return descriptors open now. */
    int open() {
        return sessions.size();
    }

    /** DfOpen: @return the response length written to {@code out}. */
    int dfOpen(MctpLink from, int iid, DfOpenRequest r, ByteBuffer out) {
        if (files == null) {
            return openResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.DF_INVALID_FILE_IDENTIFIER, 0);
        }
        Resolution res = files.resolve(r.fileIdentifier());
        int cc = res.isResolved() ? files.checkRange(res, 0, 0, false) : res.code();
        if (cc != CompletionCodes.SUCCESS) {
            // An empty file (0x87 at offset 0) is refused like an unknown one: nothing to read.
            return openResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.DF_INVALID_FILE_IDENTIFIER, 0);
        }
        for (Session s : sessions.values()) {
            if (s.fileId == r.fileIdentifier()) {
                return openResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.DF_FILE_OPEN, 0);
            }
        }
        if (sessions.size() >= MAX_DESCRIPTORS) {
            return openResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.DF_MAX_NUM_FDS_EXCEEDED, 0);
        }
        OpenResult o = files.openRead(res);
        if (o.code() != CompletionCodes.SUCCESS) {
            return openResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.DF_UNABLE_TO_OPEN_FILE, 0);
        }
        int fd = allocateFd();
        Session s = new Session(fd, r.fileIdentifier(), from);
        s.channel = o.channel();
        try {
            s.size = s.channel.size();
        } catch (IOException e) {
            close(s);
            return openResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.DF_UNABLE_TO_OPEN_FILE, 0);
        }
        sessions.put(fd, s);
        touch(s);
        return openResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.SUCCESS, fd);
    }

    private int allocateFd() {
        while (sessions.containsKey(nextFd) || nextFd == 0) {
            nextFd = (nextFd + 1) & 0xFFFF;
        }
        int fd = nextFd;
        nextFd = (nextFd + 1) & 0xFFFF;
        return fd;
    }

    /** DfClose: @return the completion code (cc-only response). */
    int dfClose(DfCloseRequest r) {
        Session s = sessions.remove(r.fileDescriptor());
        if (s == null) {
            return CompletionCodes.DF_INVALID_FILE_DESCRIPTOR;
        }
        close(s);
        return CompletionCodes.SUCCESS;
    }

    /** DfHeartbeat: @return the response length; an unknown descriptor gets the error form. */
    int dfHeartbeat(int iid, DfHeartbeatRequest r, ByteBuffer out) {
        Session s = sessions.get(r.fileDescriptor());
        if (s == null) {
            return heartbeatResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.DF_INVALID_FILE_DESCRIPTOR, 0);
        }
        touch(s);
        return heartbeatResponse.wrap(out, 0, out.capacity()).encode(iid, CompletionCodes.SUCCESS, idleMillis);
    }

    /** MultipartReceive for PLDM type 0x07: @return the response length written to {@code out}. */
    int multipartReceive(int iid, MultipartReceiveRequest r, ByteBuffer out) {
        partResponse.wrap(out, 0, out.capacity());
        if (r.requestedPldmType() != PldmTypes.FILE) {
            return partResponse.encodeError(iid, CompletionCodes.ERROR_INVALID_PLDM_TYPE);
        }
        long context = r.transferContext();
        Session s = context > 0xFFFF ? null : sessions.get((int) context);
        if (s == null) {
            return partResponse.encodeError(iid, CompletionCodes.ERROR_INVALID_TRANSFER_CONTEXT);
        }
        touch(s);
        long offset;
        switch (r.transferOperation()) {
            case TransferFlags.XFER_FIRST_PART:
                if (r.sectionOffset() >= s.size) {
                    return partResponse.encodeError(iid, CompletionCodes.ERROR_INVALID_REQUESTED_SECTION_OFFSET);
                }
                offset = r.sectionOffset();
                s.sectionStartOffset = offset;
                s.sectionEnd = r.sectionLength() == 0 ? s.size : Math.min(s.size, offset + r.sectionLength());
                s.started = true;
                s.lastHandle = offset + 1;
                break;
            case TransferFlags.XFER_NEXT_PART:
                if (!s.started || r.transferHandle() != s.nextHandle || s.nextHandle == 0) {
                    return partResponse.encodeError(iid, CompletionCodes.ERROR_INVALID_DATA_TRANSFER_HANDLE);
                }
                offset = s.nextHandle - 1;
                s.lastHandle = s.nextHandle;
                break;
            case TransferFlags.XFER_CURRENT_PART:
                if (!s.started || r.transferHandle() != s.lastHandle) {
                    return partResponse.encodeError(iid, CompletionCodes.ERROR_INVALID_DATA_TRANSFER_HANDLE);
                }
                offset = s.lastOffset;
                break;
            default: // XFER_ABORT, XFER_COMPLETE
                s.started = false;
                s.nextHandle = 0;
                return partResponse.encodeInPlace(iid, TransferFlags.ACKNOWLEDGE_COMPLETION, 0, 0);
        }
        int n = (int) Math.min(partLength, s.sectionEnd - offset);
        int dataIndex = PldmHeader.LENGTH + MultipartReceiveResponse.DATA_OFFSET;
        ByteBuffer view = out.duplicate();
        view.limit(dataIndex + n).position(dataIndex);
        try {
            while (view.hasRemaining()) {
                int k = s.channel.read(view, offset + view.position() - dataIndex);
                if (k < 0) {
                    break; // the file shrank: send what is there, as the last part
                }
            }
        } catch (IOException e) {
            return partResponse.encodeError(iid, CompletionCodes.ERROR);
        }
        n = view.position() - dataIndex;
        boolean first = offset == s.sectionStartOffset;
        boolean last = offset + n >= s.sectionEnd || n < Math.min(partLength, s.sectionEnd - offset);
        s.lastOffset = offset;
        s.nextHandle = last ? 0 : offset + n + 1;
        int flag = first ? (last ? TransferFlags.START_AND_END : TransferFlags.START)
                : (last ? TransferFlags.END : TransferFlags.MIDDLE);
        return partResponse.wrap(out, 0, out.capacity()).encodeInPlace(iid, flag, s.nextHandle, n);
    }

    private void touch(Session s) {
        if (s.idle != null) {
            s.idle.cancel();
        }
        s.idle = center.createTimeEvent(TimeUnit.MILLISECONDS.toNanos(idleMillis), () -> {
            s.idle = null;
            if (sessions.remove(s.fd, s)) {
                close(s);
            }
        });
    }

    private void close(Session s) {
        if (s.idle != null && center.inEventLoop()) {
            s.idle.cancel();
        }
        s.idle = null;
        if (s.channel != null) {
            try {
                s.channel.close();
            } catch (IOException ignored) {
                // nothing else to free
            }
            s.channel = null;
        }
    }

    /** The requester's link closed: close its descriptors. */
    void linkClosed(MctpLink link) {
        for (Session s : new ArrayList<>(sessions.values())) {
            if (s.link == link) {
                sessions.remove(s.fd);
                close(s);
            }
        }
    }

    /** Closes every descriptor (engine close). */
    void closeAll() {
        for (Session s : new ArrayList<>(sessions.values())) {
            close(s);
        }
        sessions.clear();
    }
}
