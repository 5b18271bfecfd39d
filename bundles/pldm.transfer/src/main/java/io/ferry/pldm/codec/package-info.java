/**
 * The PLDM codec: flyweights with explicit little-endian byte order over {@link java.nio.ByteBuffer}
 * regions for the DSP0240 header, the base commands a terminus needs (GetTID, GetPLDMTypes,
 * GetPLDMVersion, GetPLDMCommands, NegotiateTransferParameters, MultipartReceive), the IBM OEM file
 * I/O commands (PLDM type 0x3F) and DSP0242 file transfer (PLDM type 0x07: DfOpen, DfClose,
 * DfHeartbeat), byte-compatible with libpldm; plus {@link io.ferry.pldm.codec.PldmRequestDecoder},
 * the front door a responder hands every received message to.
 *
 * <p><b>Errors:</b> nothing here throws for bad input from a peer. Decoders answer with a PLDM
 * completion code ({@link io.ferry.pldm.codec.CompletionCodes}); encoders answer with the encoded
 * length or a negative {@link io.ferry.pldm.codec.PldmCodec} result. Only programming errors
 * (a region outside its buffer handed to {@code wrap}) throw.
 *
 * <p><b>Allocation:</b> flyweights are created once and re-wrapped per message; no method on a
 * per-message path allocates.
 *
 * <p><b>Threading:</b> every flyweight and decoder is mutable and not thread-safe: one thread at a
 * time (typically the event-loop thread that owns the receive buffer). Constants classes and the
 * static helpers ({@link io.ferry.pldm.codec.Crc32}, {@link io.ferry.pldm.codec.Ver32},
 * {@link io.ferry.pldm.codec.ErrorResponses}, {@link io.ferry.pldm.codec.FileIoChecks}) are
 * stateless and may be called from any thread.
 *
 * <p>Private to the io.ferry.pldm.transfer bundle: not exported.
 */
package io.ferry.pldm.codec;
