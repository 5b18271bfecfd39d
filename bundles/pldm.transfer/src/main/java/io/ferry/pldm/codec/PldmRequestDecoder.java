package io.ferry.pldm.codec;

import java.nio.ByteBuffer;

/**
 * The front door of a PLDM responder: hand it every received message (3-byte header + payload, no
 * MCTP prefix), get back a completion code and, on success, the request's {@link #kind()} and its
 * typed flyweight, already wrapped over the message.
 *
 * <p><b>Contract:</b> {@link #decode} never throws and never reads outside
 * {@code [offset, offset + length)}, whatever the bytes; it returns one of
 * <ul>
 *   <li>{@link CompletionCodes#SUCCESS} — a well-formed request of a supported command;</li>
 *   <li>{@link CompletionCodes#ERROR_INVALID_PLDM_TYPE} — a type other than base (0x00), file
 *       transfer (0x07) and OEM (0x3F);</li>
 *   <li>{@link CompletionCodes#ERROR_UNSUPPORTED_PLDM_CMD} — a command this codec does not decode
 *       within a supported type;</li>
 *   <li>{@link CompletionCodes#ERROR_INVALID_LENGTH} — a payload of the wrong length for its
 *       command (a length field that disagrees with the data included), or a message shorter
 *       than a header;</li>
 *   <li>{@link CompletionCodes#ERROR_INVALID_DATA} — a header version other than 0, a response
 *       where a request belongs, a field value the command forbids (MultipartReceive's operation).</li>
 * </ul>
 * Type is checked before command, command before length.
 *
 * <p><b>Answering:</b> when {@link #shouldRespond()} the responder answers — on an error with
 * {@link #encodeErrorResponse}, which writes the form libpldm peers expect for that command
 * ({@link ErrorResponses}). No answer is due for a message shorter than a header, for a response
 * (Rq=0), or for a datagram (Rq=1, D=1: an asynchronous notification).
 *
 * <p><b>Lifetime:</b> the typed views returned by the accessors are flyweights over the caller's
 * buffer, valid until the next {@code decode} or until the caller reuses the buffer; an accessor
 * for another kind than the one decoded returns a view whose contents are meaningless.
 *
 * <p><b>Threading:</b> not thread-safe: one decoder per thread (typically per event loop). It
 * allocates nothing after construction.
 */
public final class PldmRequestDecoder {
    private final EmptyRequest emptyRequest = new EmptyRequest();
    private final GetPldmVersionRequest getPldmVersionRequest = new GetPldmVersionRequest();
    private final GetPldmCommandsRequest getPldmCommandsRequest = new GetPldmCommandsRequest();
    private final NegotiateTransferParametersRequest negotiateTransferParametersRequest =
            new NegotiateTransferParametersRequest();
    private final MultipartReceiveRequest multipartReceiveRequest = new MultipartReceiveRequest();
    private final GetFileTableRequest getFileTableRequest = new GetFileTableRequest();
    private final ReadWriteFileRequest readWriteFileRequest = new ReadWriteFileRequest();
    private final ReadWriteFileMemoryRequest readWriteFileMemoryRequest = new ReadWriteFileMemoryRequest();
    private final ReadWriteFileByTypeMemoryRequest readWriteFileByTypeMemoryRequest =
            new ReadWriteFileByTypeMemoryRequest();
    private final NewFileAvailableRequest newFileAvailableRequest = new NewFileAvailableRequest();
    private final ReadWriteFileByTypeRequest readWriteFileByTypeRequest = new ReadWriteFileByTypeRequest();
    private final FileAckRequest fileAckRequest = new FileAckRequest();
    private final DfOpenRequest dfOpenRequest = new DfOpenRequest();
    private final DfCloseRequest dfCloseRequest = new DfCloseRequest();
    private final DfHeartbeatRequest dfHeartbeatRequest = new DfHeartbeatRequest();

    private PldmRequestKind kind = PldmRequestKind.NONE;
    private int completionCode = CompletionCodes.ERROR_INVALID_LENGTH;
    private boolean respond;
    private boolean headerKnown;
    private int instanceId;
    private int pldmType;
    private int command;

    /**
     * Decodes the message in {@code [offset, offset + length)} of {@code buffer}.
     *
     * @return the completion code (see the class comment); also kept as {@link #completionCode()}
     */
    public int decode(ByteBuffer buffer, int offset, int length) {
        kind = PldmRequestKind.NONE;
        respond = false;
        headerKnown = false;
        instanceId = 0;
        pldmType = 0;
        command = 0;
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.limit() - length
                || length < PldmHeader.LENGTH) {
            return completionCode = CompletionCodes.ERROR_INVALID_LENGTH;
        }
        headerKnown = true;
        instanceId = PldmHeader.instanceId(buffer, offset);
        pldmType = PldmHeader.pldmType(buffer, offset);
        command = PldmHeader.command(buffer, offset);
        if (!PldmHeader.isRequest(buffer, offset)) {
            return completionCode = CompletionCodes.ERROR_INVALID_DATA;
        }
        respond = !PldmHeader.isDatagram(buffer, offset);
        if (PldmHeader.headerVersion(buffer, offset) != PldmHeader.CURRENT_HEADER_VERSION) {
            return completionCode = CompletionCodes.ERROR_INVALID_DATA;
        }
        switch (pldmType) {
            case PldmTypes.BASE:
                return completionCode = decodeBase(buffer, offset, length);
            case PldmTypes.OEM:
                return completionCode = decodeIbm(buffer, offset, length);
            case PldmTypes.FILE:
                return completionCode = decodeFile(buffer, offset, length);
            default:
                return completionCode = CompletionCodes.ERROR_INVALID_PLDM_TYPE;
        }
    }

    private int decodeBase(ByteBuffer buffer, int offset, int length) {
        switch (command) {
            case BaseCommands.GET_TID:
                kind = PldmRequestKind.GET_TID;
                return emptyRequest.wrap(buffer, offset, length).validate();
            case BaseCommands.GET_PLDM_TYPES:
                kind = PldmRequestKind.GET_PLDM_TYPES;
                return emptyRequest.wrap(buffer, offset, length).validate();
            case BaseCommands.GET_PLDM_VERSION:
                kind = PldmRequestKind.GET_PLDM_VERSION;
                return getPldmVersionRequest.wrap(buffer, offset, length).validate();
            case BaseCommands.GET_PLDM_COMMANDS:
                kind = PldmRequestKind.GET_PLDM_COMMANDS;
                return getPldmCommandsRequest.wrap(buffer, offset, length).validate();
            case BaseCommands.NEGOTIATE_TRANSFER_PARAMETERS:
                kind = PldmRequestKind.NEGOTIATE_TRANSFER_PARAMETERS;
                return negotiateTransferParametersRequest.wrap(buffer, offset, length).validate();
            case BaseCommands.MULTIPART_RECEIVE:
                kind = PldmRequestKind.MULTIPART_RECEIVE;
                return multipartReceiveRequest.wrap(buffer, offset, length).validate();
            default:
                return CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
        }
    }

    private int decodeIbm(ByteBuffer buffer, int offset, int length) {
        switch (command) {
            case IbmFileIoCommands.GET_FILE_TABLE:
                kind = PldmRequestKind.GET_FILE_TABLE;
                return getFileTableRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.READ_FILE:
                kind = PldmRequestKind.READ_FILE;
                return readWriteFileRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.WRITE_FILE:
                kind = PldmRequestKind.WRITE_FILE;
                return readWriteFileRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.READ_FILE_INTO_MEMORY:
                kind = PldmRequestKind.READ_FILE_INTO_MEMORY;
                return readWriteFileMemoryRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.WRITE_FILE_FROM_MEMORY:
                kind = PldmRequestKind.WRITE_FILE_FROM_MEMORY;
                return readWriteFileMemoryRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.READ_FILE_BY_TYPE_INTO_MEMORY:
                kind = PldmRequestKind.READ_FILE_BY_TYPE_INTO_MEMORY;
                return readWriteFileByTypeMemoryRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.WRITE_FILE_BY_TYPE_FROM_MEMORY:
                kind = PldmRequestKind.WRITE_FILE_BY_TYPE_FROM_MEMORY;
                return readWriteFileByTypeMemoryRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.NEW_FILE_AVAILABLE:
                kind = PldmRequestKind.NEW_FILE_AVAILABLE;
                return newFileAvailableRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.NEW_FILE_AVAILABLE_WITH_META_DATA:
                kind = PldmRequestKind.NEW_FILE_AVAILABLE_WITH_META_DATA;
                return newFileAvailableRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.READ_FILE_BY_TYPE:
                kind = PldmRequestKind.READ_FILE_BY_TYPE;
                return readWriteFileByTypeRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.WRITE_FILE_BY_TYPE:
                kind = PldmRequestKind.WRITE_FILE_BY_TYPE;
                return readWriteFileByTypeRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.FILE_ACK:
                kind = PldmRequestKind.FILE_ACK;
                return fileAckRequest.wrap(buffer, offset, length).validate();
            case IbmFileIoCommands.FILE_ACK_WITH_META_DATA:
                kind = PldmRequestKind.FILE_ACK_WITH_META_DATA;
                return fileAckRequest.wrap(buffer, offset, length).validate();
            default:
                return CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
        }
    }

    private int decodeFile(ByteBuffer buffer, int offset, int length) {
        switch (command) {
            case FileTransferCommands.DF_OPEN:
                kind = PldmRequestKind.DF_OPEN;
                return dfOpenRequest.wrap(buffer, offset, length).validate();
            case FileTransferCommands.DF_CLOSE:
                kind = PldmRequestKind.DF_CLOSE;
                return dfCloseRequest.wrap(buffer, offset, length).validate();
            case FileTransferCommands.DF_HEARTBEAT:
                kind = PldmRequestKind.DF_HEARTBEAT;
                return dfHeartbeatRequest.wrap(buffer, offset, length).validate();
            default:
                // DfProperties, the attribute commands, DfRead and DfFifoSend have no grounded layout yet.
                return CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
        }
    }

    /** The completion code of the last {@link #decode}. */
    public int completionCode() {
        return completionCode;
    }

    /**
     * The request recognised by the last {@link #decode}: set as soon as type and command are
     * known, so it names the command even when the length was wrong; {@link PldmRequestKind#NONE}
     * when the message was refused before that.
     */
    public PldmRequestKind kind() {
        return kind;
    }

    /** Whether the last message wants an answer (a request with at least a header, not a datagram). */
    public boolean shouldRespond() {
        return respond;
    }

    /** Instance id of the last message (0 when it was shorter than a header). */
    public int instanceId() {
        return instanceId;
    }

    /** PLDM type of the last message (0 when it was shorter than a header). */
    public int pldmType() {
        return pldmType;
    }

    /** Command of the last message (0 when it was shorter than a header). */
    public int command() {
        return command;
    }

    /**
     * Writes the error response for the last decoded message with its own completion code; see
     * {@link #encodeErrorResponse(ByteBuffer, int, int, int)}.
     */
    public int encodeErrorResponse(ByteBuffer out, int index, int capacity) {
        return encodeErrorResponse(out, index, capacity, completionCode);
    }

    /**
     * Writes the error response to the last decoded message with {@code completionCode} (a
     * handler's 0x86 or 0x87, say), in the form {@link ErrorResponses} gives for its type and
     * command.
     *
     * @return the message length, or {@link PldmCodec#INSUFFICIENT_CAPACITY}, or
     *         {@link PldmCodec#INVALID_ARGUMENT} when there is no header to answer or the code is
     *         SUCCESS
     */
    public int encodeErrorResponse(ByteBuffer out, int index, int capacity, int completionCode) {
        if (!headerKnown) {
            return PldmCodec.INVALID_ARGUMENT;
        }
        return ErrorResponses.encode(out, index, capacity, instanceId, pldmType, command, completionCode);
    }

    // ---- typed views (valid when kind() says so and the code was SUCCESS) ----------------------

    /** GetTID and GetPLDMTypes. */
    public EmptyRequest emptyRequest() {
        return emptyRequest;
    }

    public GetPldmVersionRequest getPldmVersionRequest() {
        return getPldmVersionRequest;
    }

    public GetPldmCommandsRequest getPldmCommandsRequest() {
        return getPldmCommandsRequest;
    }

    public NegotiateTransferParametersRequest negotiateTransferParametersRequest() {
        return negotiateTransferParametersRequest;
    }

    public MultipartReceiveRequest multipartReceiveRequest() {
        return multipartReceiveRequest;
    }

    public GetFileTableRequest getFileTableRequest() {
        return getFileTableRequest;
    }

    /** ReadFile and WriteFile. */
    public ReadWriteFileRequest readWriteFileRequest() {
        return readWriteFileRequest;
    }

    /** ReadFileIntoMemory and WriteFileFromMemory. */
    public ReadWriteFileMemoryRequest readWriteFileMemoryRequest() {
        return readWriteFileMemoryRequest;
    }

    /** ReadFileByTypeIntoMemory and WriteFileByTypeFromMemory. */
    public ReadWriteFileByTypeMemoryRequest readWriteFileByTypeMemoryRequest() {
        return readWriteFileByTypeMemoryRequest;
    }

    /** NewFileAvailable and NewFileAvailableWithMetaData. */
    public NewFileAvailableRequest newFileAvailableRequest() {
        return newFileAvailableRequest;
    }

    /** ReadFileByType and WriteFileByType. */
    public ReadWriteFileByTypeRequest readWriteFileByTypeRequest() {
        return readWriteFileByTypeRequest;
    }

    /** FileAck and FileAckWithMetaData. */
    public FileAckRequest fileAckRequest() {
        return fileAckRequest;
    }

    public DfOpenRequest dfOpenRequest() {
        return dfOpenRequest;
    }

    public DfCloseRequest dfCloseRequest() {
        return dfCloseRequest;
    }

    public DfHeartbeatRequest dfHeartbeatRequest() {
        return dfHeartbeatRequest;
    }
}
