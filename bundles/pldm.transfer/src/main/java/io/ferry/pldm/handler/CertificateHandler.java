package io.ferry.pldm.handler;

import io.ferry.api.pldm.Resolution;
import io.ferry.api.pldm.OpenResult;
import io.ferry.pldm.codec.CompletionCodes;
import io.ferry.pldm.codec.IbmFileTypes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Certificates: CERT_SIGNING_REQUEST (4), SIGNED_CERT (5), ROOT_CERT (6); one instance per type.
 *
 * <ul>
 * <li>CSR: read-only to the host, from {@code base/csr} (the BMC puts CSRs there); writes answer
 *     {@code ERROR_UNSUPPORTED_PLDM_CMD}; FileAck acknowledges an existing CSR.</li>
 * <li>SIGNED_CERT / ROOT_CERT: written by the host to {@code base/incoming}, never read back
 *     (reads answer {@code ERROR_UNSUPPORTED_PLDM_CMD}). When the file is complete (announced
 *     length reached, or after the write request when nothing was announced) it is validated
 *     minimally — at most {@link #maxSize()} bytes, no NUL, a {@code -----BEGIN CERTIFICATE-----}
 *     followed by a {@code -----END CERTIFICATE-----} — and then renamed atomically into
 *     {@code base/accepted}; an invalid one is deleted and answered {@code ERROR_INVALID_DATA}.</li>
 * </ul>
 * Validation is one bounded positional read of a small file (default at most 64 KiB). Names:
 * decimal handles.
 */
public final class CertificateHandler extends AbstractFileTypeHandler {
    /** Default largest certificate file. */
    public static final long MAX_SIZE_DEFAULT = 64 * 1024;
    static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    static final String END = "-----END CERTIFICATE-----";

    private final BaseDirectory files;
    private final BaseDirectory accepted;
    private final Set<Long> acceptedCerts = new LinkedHashSet<>();

    public CertificateHandler(int fileType, Path base) throws IOException {
        this(fileType, base, MAX_SIZE_DEFAULT);
    }

    public CertificateHandler(int fileType, Path base, long maxSize) throws IOException {
        super(fileType, maxSize, fileType == IbmFileTypes.CERT_SIGNING_REQUEST,
                fileType != IbmFileTypes.CERT_SIGNING_REQUEST, fileType != IbmFileTypes.CERT_SIGNING_REQUEST);
        if (fileType != IbmFileTypes.CERT_SIGNING_REQUEST && fileType != IbmFileTypes.SIGNED_CERT
                && fileType != IbmFileTypes.ROOT_CERT) {
            throw new IllegalArgumentException("not a certificate type: " + IbmFileTypes.name(fileType));
        }
        boolean csr = fileType == IbmFileTypes.CERT_SIGNING_REQUEST;
        this.files = dir(base, csr ? "csr" : "incoming");
        this.accepted = csr ? null : dir(base, "accepted");
    }

    /** Where accepted certificates go; {@code null} for the CSR type. */
    public BaseDirectory acceptedDirectory() {
        return accepted;
    }

    /** The directory handles resolve in ({@code csr} or {@code incoming}). */
    public BaseDirectory fileDirectory() {
        return files;
    }

    /** Handles of certificates accepted so far, in order. */
    public List<Long> acceptedCertificates() {
        return new ArrayList<>(acceptedCerts);
    }

    @Override
    public Resolution resolve(long handle) {
        return files.resolve(handle);
    }

    @Override
    Resolution readTarget(Resolution r) {
        return r;
    }

    @Override
    Resolution writeTarget(Resolution r) {
        return r;
    }

    @Override
    public int newFileAvailable(long handle, long length) {
        if (accepted == null) {
            return CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
        }
        Resolution w = files.resolve(handle);
        return w.isResolved() ? announce(handle, length) : w.code();
    }

    @Override
    public int postTransfer(Resolution r, boolean toHost, long length) {
        if (r == null || !r.isResolved() || !files.owns(r)) {
            return CompletionCodes.IBM_INVALID_FILE_HANDLE;
        }
        if (toHost) {
            return accepted == null ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
        }
        if (accepted == null) {
            return CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
        }
        if (!complete(r)) {
            return CompletionCodes.SUCCESS; // more chunks to come
        }
        announced.remove(r.handle());
        int code = validate(r);
        if (code != CompletionCodes.SUCCESS) {
            files.delete(r);
            return code;
        }
        code = files.moveTo(r, accepted, r.name());
        if (code == CompletionCodes.SUCCESS) {
            acceptedCerts.add(r.handle());
        }
        return code;
    }

    @Override
    public void transferFailed(Resolution r, boolean toHost) {
        if (!toHost && accepted != null && r != null && files.owns(r)) {
            announced.remove(r.handle());
            files.delete(r);
        }
    }

    @Override
    public int fileAck(long handle, int status) {
        if (accepted != null) {
            return CompletionCodes.ERROR_UNSUPPORTED_PLDM_CMD;
        }
        Resolution r = files.resolve(handle);
        return r.isResolved() && files.exists(r) ? CompletionCodes.SUCCESS : CompletionCodes.IBM_INVALID_FILE_HANDLE;
    }

    /** SUCCESS when the written file looks like a PEM certificate, ERROR_INVALID_DATA otherwise. */
    private int validate(Resolution r) {
        long size = files.size(r);
        if (size <= 0 || size > maxSize()) {
            return CompletionCodes.ERROR_INVALID_DATA;
        }
        OpenResult o = files.openRead(r);
        if (o.code() != CompletionCodes.SUCCESS) {
            return o.code();
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        try (FileChannel ch = o.channel()) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, buf.position()) < 0) {
                    return CompletionCodes.ERROR_INVALID_DATA;
                }
            }
        } catch (IOException e) {
            return CompletionCodes.ERROR;
        }
        return isPemCertificate(buf.array()) ? CompletionCodes.SUCCESS : CompletionCodes.ERROR_INVALID_DATA;
    }

    /** The minimal PEM check: no NUL, BEGIN CERTIFICATE then END CERTIFICATE. */
    static boolean isPemCertificate(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return false;
            }
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int begin = text.indexOf(BEGIN);
        return begin >= 0 && text.indexOf(END, begin + BEGIN.length()) > begin + BEGIN.length();
    }
}
