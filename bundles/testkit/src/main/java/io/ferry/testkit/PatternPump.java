package io.ferry.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A stream listener that sends a {@link PatternSource} in chunks (refilling whenever the output
 * drains, so at most one chunk is queued) and/or checks what arrives with a
 * {@link PatternVerifier}. Used for echo transfers (both), one-way writers (source only) and
 * readers (verifier only).
 *
 * <p>One instance per stream; its callbacks run on the stream's event loop. The futures may be
 * awaited from any thread.
 *
 * <p><b>Errors:</b> {@link #received()} completes exceptionally with an {@link AssertionError}
 * naming the first wrong offset, or with more bytes than expected; both futures complete
 * exceptionally with a {@link StreamFailedException} when the stack returned an errno, and with an
 * {@link IOException} when the stream closed (or the input ended) first.
 */
public final class PatternPump implements AsyncStream.Listener {
    private final PatternSource source;
    private final int chunkBytes;
    private final PatternVerifier verifier;
    private final long expected;
    private final boolean startPaused;
    private final boolean shutdownWhenSent;
    private final CompletableFuture<AsyncStream> connected = new CompletableFuture<>();
    private final CompletableFuture<Long> sent = new CompletableFuture<>();
    private final CompletableFuture<PatternVerifier> received = new CompletableFuture<>();
    private final CompletableFuture<Long> backPressured = new CompletableFuture<>();

    /**
     * @param source what to send, or null to send nothing
     * @param chunkBytes bytes queued at a time
     * @param verifier checks the input, or null to expect no input
     * @param expected bytes of input expected (ignored without a verifier)
     * @param startPaused pause reading as soon as connected (resume with {@link AsyncStream#resumeReading()})
     * @param shutdownWhenSent half-close once the whole source is sent
     */
    public PatternPump(PatternSource source, int chunkBytes, PatternVerifier verifier, long expected,
            boolean startPaused, boolean shutdownWhenSent) {
        this.source = source;
        this.chunkBytes = chunkBytes;
        this.verifier = verifier;
        this.expected = verifier == null ? 0 : expected;
        this.startPaused = startPaused;
        this.shutdownWhenSent = shutdownWhenSent;
        if (source == null) {
            sent.complete(0L);
        }
        if (verifier == null) {
            received.complete(null);
        }
    }

    /** @return an echo client's pump: sends {@code source} and expects it back. */
    public static PatternPump echo(PatternSource source, int chunkBytes) {
        return new PatternPump(source, chunkBytes, new PatternVerifier(source.pattern()), source.remaining(), false,
                false);
    }

    /** @return completed with the stream once connected. */
    public CompletableFuture<AsyncStream> connected() {
        return connected;
    }

    /** @return completed with the byte count once the stack took the whole source. */
    public CompletableFuture<Long> sent() {
        return sent;
    }

    /** @return completed with the verifier once the expected bytes arrived intact. */
    public CompletableFuture<PatternVerifier> received() {
        return received;
    }

    /** @return completed with the bytes taken so far when a send was first refused entirely. */
    public CompletableFuture<Long> backPressured() {
        return backPressured;
    }

    /** @return the source, or null. */
    public PatternSource source() {
        return source;
    }

    /** @return the verifier, or null. */
    public PatternVerifier verifier() {
        return verifier;
    }

    @Override
    public void onConnected(AsyncStream stream) {
        if (startPaused) {
            stream.pauseReading();
        }
        connected.complete(stream);
        if (expected == 0 && verifier != null) {
            received.complete(verifier);
        }
        refill(stream);
    }

    @Override
    public void onOutputDrained(AsyncStream stream) {
        refill(stream);
    }

    private void refill(AsyncStream stream) {
        if (source == null || sent.isDone()) {
            return;
        }
        if (source.remaining() > 0) {
            stream.send(source.next(chunkBytes));
            return;
        }
        sent.complete(source.produced());
        if (shutdownWhenSent) {
            stream.shutdownOutputWhenFlushed();
        }
    }

    @Override
    public void onBackPressure(AsyncStream stream) {
        backPressured.complete(stream.bytesWritten());
    }

    @Override
    public void onData(AsyncStream stream, ByteBuffer data) {
        if (verifier == null) {
            received.completeExceptionally(new AssertionError("unexpected input: " + data.remaining() + " bytes"));
            stream.close();
            return;
        }
        verifier.accept(data);
        if (verifier.firstMismatch() >= 0) {
            received.completeExceptionally(new AssertionError("wrong input: " + verifier.describe()));
            stream.close();
        } else if (verifier.received() > expected) {
            received.completeExceptionally(new AssertionError("more input than the " + expected + " bytes expected: "
                    + verifier.describe()));
            stream.close();
        } else if (verifier.received() == expected) {
            received.complete(verifier);
        }
    }

    @Override
    public void onEndOfStream(AsyncStream stream) {
        received.completeExceptionally(new IOException("end of stream: " + (verifier == null ? "" : verifier.describe())
                + " of " + expected + " expected"));
    }

    @Override
    public void onFailed(AsyncStream stream, int errno) {
        StreamFailedException e = new StreamFailedException("pattern stream (" + stream.bytesWritten() + " bytes sent, "
                + stream.bytesRead() + " read)", errno);
        connected.completeExceptionally(e);
        sent.completeExceptionally(e);
        received.completeExceptionally(e);
        backPressured.completeExceptionally(e);
    }

    @Override
    public void onClosed(AsyncStream stream) {
        IOException e = new IOException("stream closed (" + stream.bytesWritten() + " bytes sent, "
                + stream.bytesRead() + " read)");
        connected.completeExceptionally(e);
        sent.completeExceptionally(e);
        received.completeExceptionally(e);
        backPressured.completeExceptionally(e);
    }
}
