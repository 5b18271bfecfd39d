package io.ferry.pldm.handler;

import io.ferry.api.pldm.FileTypeHandler;
import io.ferry.api.pldm.Resolution;
import io.ferry.pldm.codec.CompletionCodes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * File-type handlers keyed by IBM file type; an unknown type answers {@code IBM_INVALID_FILE_TYPE}
 * (0x89). This becomes the OSGi whiteboard (handlers registered as services) with the
 * TransferService work; until then handlers are added with {@link #register}.
 *
 * <p><b>Threading:</b> safe for any thread; lookups are lock-free (a {@link ConcurrentHashMap}
 * read) and allocate nothing. A transfer should keep the handler it looked up until it ends, so an
 * unregistration does not pull the handler out from under it.
 */
public final class HandlerRegistry {
    private final ConcurrentHashMap<Integer, FileTypeHandler> handlers = new ConcurrentHashMap<>();

    /** Adds {@code handler}; false when its type already has a handler (the first one stays). */
    public boolean register(FileTypeHandler handler) {
        return handlers.putIfAbsent(handler.fileType(), handler) == null;
    }

    /** Removes {@code handler} if it is the one registered for its type. */
    public boolean unregister(FileTypeHandler handler) {
        return handlers.remove(handler.fileType(), handler);
    }

    /** The handler of {@code fileType}, or {@code null}. */
    public FileTypeHandler handler(int fileType) {
        return handlers.get(fileType);
    }

    /** SUCCESS when {@code fileType} has a handler, {@code IBM_INVALID_FILE_TYPE} otherwise. */
    public int checkFileType(int fileType) {
        return handlers.containsKey(fileType) ? CompletionCodes.SUCCESS : CompletionCodes.IBM_INVALID_FILE_TYPE;
    }

    /** Resolves {@code handle} with the type's handler; refused with 0x89 for an unknown type. */
    public Resolution resolve(int fileType, long handle) {
        FileTypeHandler h = handlers.get(fileType);
        return h == null ? Resolution.refused(handle, CompletionCodes.IBM_INVALID_FILE_TYPE) : h.resolve(handle);
    }

    /** NewFileAvailable for {@code fileType}: 0x89 for an unknown type, else the handler's answer. */
    public int newFileAvailable(int fileType, long handle, long length) {
        FileTypeHandler h = handlers.get(fileType);
        return h == null ? CompletionCodes.IBM_INVALID_FILE_TYPE : h.newFileAvailable(handle, length);
    }

    /** FileAck for {@code fileType}: 0x89 for an unknown type, else the handler's answer. */
    public int fileAck(int fileType, long handle, int status) {
        FileTypeHandler h = handlers.get(fileType);
        return h == null ? CompletionCodes.IBM_INVALID_FILE_TYPE : h.fileAck(handle, status);
    }

    /** A snapshot of the handlers, by file type (for {@code pldm:handlers}). */
    public List<FileTypeHandler> handlers() {
        List<FileTypeHandler> list = new ArrayList<>(handlers.values());
        list.sort(Comparator.comparingInt(FileTypeHandler::fileType));
        return list;
    }
}
